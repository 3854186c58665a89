"""Maintenance errors (each a stable problem code)."""

from mip.platform.errors import BadRequest, Conflict, NotFound


class DataFormatError(BadRequest):
    """An input file or feature table that cannot be read as the declared format."""

    code = "maintenance_data_format"
    status = 422
    title = "Unreadable maintenance data"


class InputFileNotFound(BadRequest):
    code = "input_file_not_found"
    status = 404
    title = "Input file not found"


class ModelArtifactError(BadRequest):
    """A model directory or artifact that is missing, corrupt or of another kind."""

    code = "model_artifact_invalid"
    status = 422
    title = "Invalid model artifact"


class InsufficientTrainingData(BadRequest):
    code = "insufficient_training_data"
    status = 422
    title = "Insufficient training data"


class ModelNotFound(NotFound):
    code = "model_not_found"


class MachineNotFound(NotFound):
    code = "machine_not_found"


class RecommendationNotFound(NotFound):
    code = "recommendation_not_found"


class WorkOrderNotFound(NotFound):
    code = "work_order_not_found"


class ModelStateConflict(Conflict):
    code = "model_state_conflict"


class RecommendationStateConflict(Conflict):
    code = "recommendation_state_conflict"


class WorkOrderTransitionConflict(Conflict):
    code = "work_order_transition_conflict"


class UnknownAssignee(BadRequest):
    code = "unknown_assignee"
    status = 422
    title = "Unknown assignee"
