"""Reports for staff: exports of the data and the weekly summary with the small-group rule."""
