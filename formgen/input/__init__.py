"""Reading what clerks give: layouts, rosters and sheets, photos, the organisation profile; and the
workbooks written back for them to fill in or work through (roster templates, problem lists)."""
