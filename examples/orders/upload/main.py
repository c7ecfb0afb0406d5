"""A file lands in a bucket: write the CSV given as a run parameter, then announce it."""
import os
import tempfile

from fx_ef import context

# buckets named fx-* are the platform's own
BUCKET = context.config.get("bucket", "example-orders")

csv_text = context.params.get("csv")
if not csv_text:
    raise ValueError("run parameter 'csv' is missing: fx run orders-upload -p csv=...")
name = context.params.get("name", "orders-%s.csv" % context.execution_id[:12])

path = os.path.join(tempfile.mkdtemp(), name)
with open(path, "w", encoding="utf-8") as f:
    # a run parameter cannot carry newlines from a shell comfortably: ';' separates rows
    f.write(csv_text.replace(";", "\n"))

context.storage.create_bucket(BUCKET)
context.storage.upload(BUCKET, "incoming/" + name, path)
context.logging.info("stored %s in %s", name, BUCKET)
context.events.send("orders.file.uploaded", {"bucket": BUCKET, "key": "incoming/" + name})
