"""
Model files, state files and checkpoints.
"""
from __future__ import annotations
import ember._ember.nn
import typing
__all__: list[str] = ['CheckpointManager', 'load_model', 'load_state', 'model_from_bytes', 'model_to_bytes', 'read_model_info', 'save_model', 'save_state']
class CheckpointManager:
    """
    Writes checkpoints (<dir>/checkpoint-<iteration>/model.ember + state.ember, a `latest` pointer) and keeps the newest keep_last.
    
    Example: ckpt = CheckpointManager('runs/ckpt', keep_last=3); ckpt.save(100, model, opt.state_dict())
    """
    @staticmethod
    def checkpoint_name(iteration: typing.SupportsInt | typing.SupportsIndex) -> str:
        ...
    @staticmethod
    def latest(dir: typing.Any) -> str | None:
        """
        The path of the latest checkpoint in `dir`, or None.
        """
    @staticmethod
    def load(path: typing.Any) -> tuple[ember._ember.nn.Module, dict, str]:
        """
        Loads a checkpoint directory, or the latest of a root: returns (model, state dict, checkpoint path).
        """
    @staticmethod
    def load_into(path: typing.Any, model: ember._ember.nn.Module) -> dict:
        """
        Copies a checkpoint's parameters and buffers into `model` (same structure) and returns its state dict.
        """
    def __init__(self, dir: typing.Any, keep_last: typing.SupportsInt | typing.SupportsIndex = 3) -> None:
        ...
    def __repr__(self) -> str:
        ...
    def save(self, iteration: typing.SupportsInt | typing.SupportsIndex, model: ember._ember.nn.Module, state: typing.Any = None) -> str:
        """
        Writes checkpoint-<iteration> (model and state dict) atomically, points `latest` at it, prunes old ones; returns its path.
        """
    @property
    def dir(self) -> str:
        ...
    @property
    def keep_last(self) -> int:
        ...
def load_model(path: typing.Any) -> ember._ember.nn.Module:
    """
    Reads a model written by save_model (BigDL: loadModule). ember.IOError when the file cannot be read, ember.FormatError when it is malformed; both name the file.
    """
def load_state(path: typing.Any) -> dict:
    """
    Reads a file written by save_state as a dict (insertion order kept).
    """
def model_from_bytes(data: bytes, name: str = '<bytes>') -> ember._ember.nn.Module:
    """
    load_model from bytes; `name` stands for the file in errors.
    """
def model_to_bytes(module: ember._ember.nn.Module) -> bytes:
    """
    The bytes save_model would write.
    """
def read_model_info(path: typing.Any) -> dict:
    """
    A model or state file's header as a dict (path, format_version, kind, tree, num_parameters, parameter_bytes, tensor_bytes, file_bytes, tensors: [{name, dtype, shape, nbytes}]) without reading tensor data.
    """
def save_model(module: ember._ember.nn.Module, path: typing.Any) -> None:
    """
    Writes a module to a .ember file atomically (BigDL: saveModule). Example: save_model(model, 'lenet.ember')
    """
def save_state(state: typing.Any, path: typing.Any) -> None:
    """
    Writes a dict of arrays / ints / floats / strs (e.g. an optim method's state_dict()) atomically.
    """
