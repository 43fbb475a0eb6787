"""Practice tasks tied to real work: a report by the participant, reviewed by the trainer and the supervisor."""
