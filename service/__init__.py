"""The application layer, between the Telegram edge (handlers/) and the rules (journey/).

`work.py` is the one way a plan is changed: load it, let the journey decide, re-plan, save once with
the news it causes, then tell the senders. `courier.py` sends what storage says is due (news and
reminders) through a `Sender` (`sending.py`). Nothing here imports telegram.
"""
