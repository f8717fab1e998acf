"""
Built-in models: LeNet-5, BigDL's CNN, VGG-16 and ResNet-20 for CIFAR.
"""
from __future__ import annotations
import ember._ember.nn
import typing
__all__: list[str] = ['bigdl_cnn', 'lenet5', 'make_model', 'model_input_shape', 'model_names', 'resnet20_cifar', 'vgg16_cifar']
def bigdl_cnn(num_classes: typing.SupportsInt | typing.SupportsIndex = 10, in_channels: typing.SupportsInt | typing.SupportsIndex = 0) -> ember._ember.nn.Module:
    """
    The CNN of BigDL's image-classification example: 4 x (conv 3x3 pad 1, ReLU, maxpool 2 ceil) with 32, 64, 128, 128 channels, Dropout 0.4, Linear ->512, ReLU, Linear ->num_classes, LogSoftMax.
    Input float32 [N, 3, 112, 112], output [N, num_classes].
    
    num_classes: outputs of the last Linear (log-probabilities of that many classes).
    in_channels: channels of the input images; 0 keeps the model's usual value.
    Returns an untrained nn.Sequential in training mode.
    """
def lenet5(num_classes: typing.SupportsInt | typing.SupportsIndex = 10, in_channels: typing.SupportsInt | typing.SupportsIndex = 0) -> ember._ember.nn.Module:
    """
    LeNet-5 as in BigDL's model zoo: conv 6@5x5, tanh, maxpool 2, conv 12@5x5, tanh, maxpool 2, Linear 192->100, tanh, Linear 100->num_classes, LogSoftMax.
    Input float32 [N, 1, 28, 28] (MNIST), output [N, num_classes].
    
    Example: ``ember.models.lenet5()(np.zeros((2, 1, 28, 28), np.float32)).shape == (2, 10)``
    
    num_classes: outputs of the last Linear (log-probabilities of that many classes).
    in_channels: channels of the input images; 0 keeps the model's usual value.
    Returns an untrained nn.Sequential in training mode.
    """
def make_model(name: str, num_classes: typing.SupportsInt | typing.SupportsIndex = 10, in_channels: typing.SupportsInt | typing.SupportsIndex = 0) -> ember._ember.nn.Module:
    """
    A built-in model by name: 'lenet5', 'bigdl-cnn', 'vgg16-cifar' or 'resnet20-cifar' (see model_names(); ValueError listing them for another name).
    
    num_classes: outputs of the last Linear (log-probabilities of that many classes).
    in_channels: channels of the input images; 0 keeps the model's usual value.
    Returns an untrained nn.Sequential in training mode.
    """
def model_input_shape(name: str) -> tuple:
    """
    The input shape of one sample (C, H, W), e.g. (1, 28, 28) for 'lenet5'.
    """
def model_names() -> list[str]:
    """
    The names make_model accepts, e.g. ['lenet5', 'bigdl-cnn', ...].
    """
def resnet20_cifar(num_classes: typing.SupportsInt | typing.SupportsIndex = 10, in_channels: typing.SupportsInt | typing.SupportsIndex = 0) -> ember._ember.nn.Module:
    """
    ResNet-20 for CIFAR-10 (He et al. 2015, option-A shortcuts): conv 16, 3 stages of 3 basic blocks (16, 32, 64 channels), global average pool, Linear 64->num_classes, LogSoftMax.
    Input float32 [N, 3, 32, 32], output [N, num_classes].
    
    num_classes: outputs of the last Linear (log-probabilities of that many classes).
    in_channels: channels of the input images; 0 keeps the model's usual value.
    Returns an untrained nn.Sequential in training mode.
    """
def vgg16_cifar(num_classes: typing.SupportsInt | typing.SupportsIndex = 10, in_channels: typing.SupportsInt | typing.SupportsIndex = 0) -> ember._ember.nn.Module:
    """
    VGG-16 for CIFAR-10 (BigDL's VggForCifar10): 13 conv 3x3 + BatchNorm + ReLU, 5 max pools, Dropout, Linear 512->512, BatchNorm, ReLU, Dropout, Linear 512->num_classes, LogSoftMax.
    Input float32 [N, 3, 32, 32], output [N, num_classes].
    
    num_classes: outputs of the last Linear (log-probabilities of that many classes).
    in_channels: channels of the input images; 0 keeps the model's usual value.
    Returns an untrained nn.Sequential in training mode.
    """
