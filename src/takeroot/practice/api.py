from ninja import Router

router = Router(tags=["Practice tasks"])
