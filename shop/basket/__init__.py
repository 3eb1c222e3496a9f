"""The basket: adding modules (by id or part number), changing and removing lines,
the summary shown in the layout, and merging a visitor's basket at sign-in."""
