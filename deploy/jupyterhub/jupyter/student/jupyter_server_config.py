"""A learner's server (the classroom hub's students, and `course lab` on a learner's own computer): JupyterLab's menus in
Japanese unless COURSE_LANG=en. The formgrader and course list are turned off in jupyter_server_config.json beside."""

from course.lab import lab_settings_dir

c = get_config()  # noqa: F821

if lab_settings_dir():
    c.LabApp.app_settings_dir = str(lab_settings_dir())
