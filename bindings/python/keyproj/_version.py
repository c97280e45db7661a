"""The versions this package was written for (no imports: setuptools reads it statically).

bindings/python/CMakeLists.txt checks at configure time that they equal
capi/keyproj.h's KP_VERSION_* and KP_ABI_VERSION, so they cannot drift apart.
"""

__version__ = "0.7.0"
# libkeyproj.so.<ABI_VERSION>: the soname's number, checked against kp_abi_version().
ABI_VERSION = 1
