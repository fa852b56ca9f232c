"""One wizard per stage of the Assess-Plan-Do-Review cycle."""
