"""The analytics views: the whole-school reports, one pupil's progress and trace, the school's
assessment measures and the form that records a score. They show what `sendesk.services`
computes."""
