"""A submission belongs to its submitter (issue #14): nbgrader's exchange, with ownership enforced.

nbgrader's file exchange trusts the name in an inbound entry (`<student>+<assignment>+<time>[+<random>]`): a learner
can submit under another learner's name with `--student`, and submission folders are left writable by everyone
(mode 0777). The course's configuration (grading/nbgrader_config.py for instructors, deploy/jupyterhub/jupyter/student
for learners) swaps in these classes:

- `OwnedExchangeReleaseAssignment` adds the sticky bit to inbound/, so that nobody but an entry's owner can rename
  or remove it.
- `OwnedExchangeSubmit` refuses a student id other than the account's own and leaves the submission folder 0755
  (files 0644): only its owner can change it. This is a convenience for honest learners; it is not the defence,
  since a learner controls their own configuration.
- `OwnedExchangeCollect` is the defence: it accepts an inbound entry only when the folder and every file in it are
  owned by the account of the learner it names (`account_name(uid)`), before choosing each learner's newest entry, so
  a planted newer entry can neither replace nor hide the real one. Every refused entry is written to
  `reports/<assignment>/exchange_refused.json` and becomes a 要確認 flag of `course collect`; it is never graded.

Accounts: a uid's name comes from the system's user database (the classroom hub, where learners are Linux users), or
from the JSON file named by $COURSE_ACCOUNTS ({"name": uid}) where the instructor's server cannot see the learners'
accounts (Kubernetes, where the hub gives each user their own uid: see deploy/kubernetes/values.yaml).
"""

import glob
import json
import os
import pwd
import stat

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect, groupby
from nbgrader.exchange.default.release_assignment import ExchangeReleaseAssignment
from nbgrader.exchange.default.submit import ExchangeSubmit
from nbgrader.utils import check_mode, get_username

from .flags import read_json, reports_dir, write_json

REFUSED_FILE = "exchange_refused.json"
DIR_MODE = 0o755
FILE_MODE = 0o644


def _accounts_file():
    path = os.environ.get("COURSE_ACCOUNTS")
    if not path:
        return {}
    try:
        with open(path, encoding="utf-8") as f:
            return {int(uid): name for name, uid in json.load(f).items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def account_name(uid, accounts=None):
    """The account that owns uid, or None when nobody is known by it."""
    accounts = _accounts_file() if accounts is None else accounts
    if uid in accounts:
        return accounts[uid]
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return None


def ownership_problem(path, student, accounts=None):
    """None when the entry and everything in it belong to `student`; else {"owner", "detail"} (for the flag)."""
    accounts = _accounts_file() if accounts is None else accounts
    for folder, dirs, files in os.walk(path):
        for entry in [folder] + [os.path.join(folder, n) for n in dirs + files]:
            name = os.path.relpath(entry, os.path.dirname(path))
            try:
                info = os.lstat(entry)
            except OSError as exc:
                return {"owner": "", "detail": f"{name}: {exc.strerror}"}
            owner = account_name(info.st_uid, accounts) or str(info.st_uid)
            if owner != student:
                return {"owner": owner, "detail": f"{name}: owner {owner}"}
            if stat.S_ISLNK(info.st_mode):
                return {"owner": owner, "detail": f"{name}: symbolic link"}
    return None


def load_refused(root, assignment):
    """The entries the last collect refused: [{"student" (the name claimed), "owner", "entry", "detail"}]."""
    return read_json(reports_dir(root, assignment) / REFUSED_FILE, [])


def refusal_flags(root, assignment, student):
    """要確認 flags for a learner named by, or owning, an entry the last collect refused."""
    return [{"code": "submitted_by_other", "cell": "", "detail": f"{r['entry']} ({r['detail']})"}
            for r in load_refused(root, assignment) if student in (r["student"], r["owner"])]


class OwnedExchangeReleaseAssignment(ExchangeReleaseAssignment):
    def init_dest(self):
        super().init_dest()
        # nbgrader makes inbound/ 2733: anyone may add an entry, and, without the sticky bit, also rename or remove
        # another learner's entry whose name they learnt. With it only an entry's owner (and the instructor) can.
        os.chmod(self.inbound_path, os.stat(self.inbound_path).st_mode | stat.S_ISVTX)


class OwnedExchangeSubmit(ExchangeSubmit):
    def init_dest(self):
        if self.coursedir.student_id not in ("*", "", get_username()):
            self.fail(f"ほかの人の名前では提出できません（{self.coursedir.student_id}）。自分のアカウントで提出してください。"
                      f" / You can only submit as yourself ({get_username()}).")
        super().init_dest()

    def set_perms(self, dest, fileperms, dirperms):
        super().set_perms(dest, FILE_MODE, DIR_MODE)

    def copy_files(self):
        super().copy_files()
        # nbgrader opens the folder to everyone (0777) at the end of its copy; close it again.
        os.chmod(os.path.join(self.inbound_path, self.assignment_filename), DIR_MODE)


class OwnedExchangeCollect(ExchangeCollect):
    def init_src(self):
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail(f"Course not found: {self.inbound_path}")
        if not check_mode(self.inbound_path, read=True, execute=True):
            self.fail(f"You don't have read permissions for the directory: {self.inbound_path}")
        student_id = self.coursedir.student_id or "*"
        pattern = os.path.join(self.inbound_path, f"{student_id}+{self.coursedir.assignment_id}+*")
        accounts = _accounts_file()
        records, refused = [], []
        for path in glob.glob(pattern):
            record = self._path_to_record(path)
            problem = ownership_problem(path, record["username"], accounts)
            if problem:
                refused.append({"student": record["username"], "entry": record["filename"], **problem})
                self.log.warning("Refused %s: %s", record["filename"], problem["detail"])
            else:
                records.append(record)
        self._save_refused(refused)

        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                duedate = gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                duedate = None
        self.src_records = []
        for group in groupby(records, lambda item: item["username"]).values():
            newest_first = self._sort_by_timestamp(group)
            on_time = [r for r in newest_first if duedate is not None and self.before_duedate and r["timestamp"] <= duedate]
            self.src_records.append((on_time or newest_first)[0])

    def _save_refused(self, refused):
        write_json(reports_dir(self.coursedir.root, self.coursedir.assignment_id) / REFUSED_FILE, refused)
