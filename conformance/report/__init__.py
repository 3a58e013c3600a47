"""Reports of a certification: report.json and report.md (writer), report.html, and standalone reproducers."""
