#!/bin/bash
# Runs in each learner's pod before JupyterLab starts (docker-stacks' before-notebook.d), as the learner.
# The same as course/hub.py prepare_home on one server: notebooks for everyone, the nbgrader course folder
# ~/grading for an instructor. Existing files are never replaced: answers and gradebooks survive restarts.
set -e
if [ ! -d "$HOME/notebooks" ]; then
  cp -r /opt/course/notebooks "$HOME/notebooks"
fi
if [ "${COURSE_ROLE:-student}" = instructor ] && [ ! -d "$HOME/grading" ]; then
  mkdir -p "$HOME/grading"
  cp /opt/course/grading/nbgrader_config.py "$HOME/grading/"
  cp -r /opt/course/grading/source "$HOME/grading/source"
  printf '%s\n' '# The nbgrader course of this class lives in ~/grading.' \
    'load_subconfig("grading/nbgrader_config.py")  # noqa: F821' > "$HOME/nbgrader_config.py"
fi
chmod 700 "$HOME" 2>/dev/null || true
