"""The domain's facts, each stated once: the corpus, money and its units, the open-ended period, severities, the diagnostic record."""
