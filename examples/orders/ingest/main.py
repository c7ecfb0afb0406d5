"""Parse the CSV that landed in the bucket; emit orders.parsed with the valid rows."""
import csv
import os
import tempfile

from fx_ef import context

REQUIRED = ("order_id", "customer", "amount")

bucket = context.params["bucket"]
key = context.params["key"]
path = os.path.join(tempfile.mkdtemp(), "orders.csv")
context.storage.download(bucket, key, path)

orders, rejected = [], 0
with open(path, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        try:
            if any(not row.get(k) for k in REQUIRED):
                raise ValueError("missing field")
            orders.append({
                "order_id": row["order_id"].strip(),
                "customer": row["customer"].strip(),
                "amount": round(float(row["amount"]), 2),
            })
        except ValueError as e:
            rejected += 1
            context.logging.warning("skipped row %s: %s", row, e)

context.logging.info("parsed %d orders from %s/%s (%d rejected)", len(orders), bucket, key, rejected)
if orders:
    context.events.send("orders.parsed", {"source": key, "orders": orders})
