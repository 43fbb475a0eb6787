from ninja import Router

router = Router(tags=["Peer learning"])
