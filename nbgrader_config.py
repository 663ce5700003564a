# Lets nbgrader (and JupyterLab's formgrader) started in the project root use the course in grading/.
load_subconfig("grading/nbgrader_config.py")  # noqa: F821
