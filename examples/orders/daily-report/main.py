"""Runs on its cron schedule (and manually): keeps a run counter in per-service state."""
from fx_ef import context

runs = context.state.get("runs", 0) + 1
context.state.put("runs", runs)
trigger = context.trigger_event or {}
context.logging.info("report run %d, triggered by %s", runs, trigger.get("type"))
context.events.send("orders.report.requested", {"run": runs})
