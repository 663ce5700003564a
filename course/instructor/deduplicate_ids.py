"""nbgrader's DeduplicateIds, except that a duplicate loses its nbgrader metadata entirely.

Stock DeduplicateIds sets a duplicate's metadata to {} (no schema_version); CheckCellMetadata then raises
SchemaTooOldError, which stops `nbgrader autograde` for every remaining learner. Removing the key instead makes the
duplicate an ordinary cell: the last copy keeps the grade id (as in stock nbgrader) and is graded as usual.
"""

from nbgrader.preprocessors import DeduplicateIds


class DeduplicateIdsKeepingSchema(DeduplicateIds):
    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.metadata.get("nbgrader") == {}:
            del cell.metadata["nbgrader"]
            resources.setdefault("course_duplicates", []).append(cell_index)
        return cell, resources
