"""Analyses that consume Results and Rubric: explain, sensitivity, audit, diff, roll-up."""
