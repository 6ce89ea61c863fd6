"""Path to 120, part two: the actions "怎样更快达标" — candidate changes the applicant can make, each
expressed as a change of the `Profile`, re-scored with the engine, dated with the projection and
ranked. Turning a change into a link is the vocabulary's job (calculator/vocabulary.py).

Pure, like the scoring package: no Django here. An action is searched only until it first passes, only up to
the month it would have to beat, with the monthly totals of the projection's timeline (the lines it
cannot touch are shared with the profile's own projection: projection.Timeline.first_pass).

`candidates` says what can change, `advice` dates and ranks the changes (`advise`), and `lean_outlook`
is the same search cut down to what a roster row needs (`outlook`).
"""

from __future__ import annotations

from calculator.actions.advice import Action, Advice, advise
from calculator.actions.lean_outlook import BestSingle, Outlook, outlook

__all__ = ["Action", "Advice", "BestSingle", "Outlook", "advise", "outlook"]
