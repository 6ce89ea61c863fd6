"""The calculator's pages and APIs, one module per page or API; calculator/urls.py routes them.

The views are thin; what only a page shows (options, period rows for redisplay, the no-JavaScript
certificate search, the actions' links) is built by the helpers below them, from one `Simulation`;
the wage thresholds of the side panel and /rules/ are calculator/wages.py's.

- `simulator`: the form at `/`, its result fragment and the certificate picker
- `advice`: the path to 120 under the result, /api/advice and 加入日历
- `api`: /api/score, the query's length limit and the 400 the JSON entry points share
- `share`: the share POST, /r/<slug> and the shared page
- `rules`: /rules/, the Policy in force as tables
- `roster`: roster mode's pages and downloads
- `roster_api`: roster mode's JSON API
"""
