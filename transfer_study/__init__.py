"""Shared logic of the Caffe reproduction of Yosinski et al. (NIPS 2014),
"How transferable are features in deep neural networks?".

Entry points in data_prep/ and scripts/ stay thin and call into here.
"""
import os

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
