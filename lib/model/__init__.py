"""The domain's facts, each stated once: money and its units (:mod:`lib.model.money`)."""
