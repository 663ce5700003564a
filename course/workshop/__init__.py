"""The group workshop (issue #17): teams discuss the ransomware case phase by phase, present, rate each other, and the
instructor compares the teams with the model. Modules: content (YAML), teams (roster), worksheet (the team's form),
timer, outcome (tabletop outcome of a worksheet), slides (.pptx), pages (HTML), feedback, comparison, demo, commands.
Nothing is imported here, so that course/hub.py can use course.workshop.teams without widgets or matplotlib."""
