"""The yearly effect follow-up of granted loans: the case the follow-up rules read
(``case``), and the checker that gives the follow-up verdict (``checker``)."""
