"""
TensorBoard summaries.
"""
from __future__ import annotations
import ember._ember.optim
import numpy
import typing
__all__: list[str] = ['Summary', 'TrainSummary', 'ValidationSummary', 'list_event_files', 'read_scalar']
class Summary:
    """
    Base of TrainSummary and ValidationSummary: one TensorBoard event file in <log_dir>/<app_name>/<kind>. Usable as a context manager (closes on exit).
    """
    def __enter__(self) -> typing.Any:
        ...
    def __exit__(self, *args) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def add_histogram(self, tag: str, values: typing.Any, step: typing.SupportsInt | typing.SupportsIndex) -> None:
        """
        Adds a histogram of an array's elements at `step`.
        """
    def add_scalar(self, tag: str, value: typing.SupportsFloat | typing.SupportsIndex, step: typing.SupportsInt | typing.SupportsIndex) -> None:
        """
        Adds a scalar at `step` (BigDL: addScalar).
        """
    def close(self) -> None:
        """
        Flushes and closes the event file.
        """
    def flush(self) -> None:
        """
        Pushes buffered events to the file.
        """
    def read_scalar(self, tag: str) -> numpy.ndarray:
        """
        The scalar series `tag` written to this folder so far (this and earlier runs), sorted by step, as a NumPy structured array with fields step (int64), value (float32), wall_time (float64, seconds since the epoch); empty when the tag never occurs (BigDL: readScalar).
        
        Example: loss = summary.read_scalar('Loss'); plt.plot(loss['step'], loss['value'])
        """
    @property
    def app_name(self) -> str:
        """
        The application name (BigDL: appName).
        """
    @property
    def event_file(self) -> str:
        """
        The event file being written.
        """
    @property
    def folder(self) -> str:
        """
        <log_dir>/<app_name>/train or .../validation.
        """
    @property
    def log_dir(self) -> str:
        """
        The root log directory (BigDL: logDir).
        """
class TrainSummary(Summary):
    """
    Training summary in <log_dir>/<app_name>/train (BigDL: TrainSummary). The Optimizer writes Loss, Throughput and LearningRate every iteration by default and parameter histograms when a 'Parameters' trigger is set.
    
    Example: s = TrainSummary('runs', 'lenet'); s.set_summary_trigger('Parameters', several_iteration(100))
    """
    trigger_names: typing.ClassVar[list] = ['LearningRate', 'Loss', 'Throughput', 'Parameters']
    def __init__(self, log_dir: typing.Any, app_name: str) -> None:
        ...
    def set_summary_trigger(self, name: str, trigger: typing.Any) -> typing.Any:
        """
        When `name` ('LearningRate', 'Loss', 'Throughput', 'Parameters') is recorded; returns self.
        """
    def summary_trigger(self, name: str) -> ember._ember.optim.Trigger | None:
        """
        The trigger for `name`, or None when it is never recorded.
        """
class ValidationSummary(Summary):
    """
    Validation summary in <log_dir>/<app_name>/validation: one scalar per validation method (BigDL: ValidationSummary).
    """
    def __init__(self, log_dir: typing.Any, app_name: str) -> None:
        ...
def list_event_files(log_dir: typing.Any) -> list[str]:
    """
    Paths of the event files in a folder, sorted by name.
    """
def read_scalar(log_dir: typing.Any, tag: str) -> numpy.ndarray:
    """
    The scalar series `tag` over the event files of one folder (e.g. runs/lenet/train), as Summary.read_scalar.
    """
