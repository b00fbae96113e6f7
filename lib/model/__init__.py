"""The domain's facts, each stated once: money and its units, the open-ended period, the review's severities, the diagnostic record."""
