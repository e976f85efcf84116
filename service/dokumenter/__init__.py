"""Documents on a case: uploaded files kept in a document store (a directory or S3), rows in the database."""
