"""Data access: the DynamoDB table of screenings (and, later, decisions and effect reports)."""
