# Install rules of the C ABI (included from capi/CMakeLists.txt):
#
#   <prefix>/<libdir>/libkeyproj.so.0.1.0, libkeyproj.so.1 (soname), libkeyproj.so (link name)
#   <prefix>/include/keyproj.h        C users write #include <keyproj.h>. Not
#                                     include/keyproj/keyproj.h: that path is the
#                                     C++ core's umbrella header (include/keyproj/).
#   <prefix>/<libdir>/pkgconfig/keyproj.pc
#   <prefix>/<libdir>/cmake/keyproj/  keyprojConfig.cmake (+ Version, Targets):
#                                     find_package(keyproj) -> keyproj::keyproj
#
# The C++ core (include/keyproj, the static keyproj_* layers) is not installed in
# this round; a C++ embedder builds it with the project (capi/README.md).
#
# Abseil, libxlsxwriter, libzip and expat are linked into libkeyproj.so as shared libraries (its
# NEEDED entries): the dynamic loader finds them, and a consumer links only
# -lkeyproj. So keyproj.pc has no Requires/Libs.private and the CMake package no
# find_dependency: no header or symbol of theirs is part of the ABI.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(KEYPROJ_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/keyproj")

install(TARGETS keyproj_capi
  EXPORT keyprojTargets
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT runtime NAMELINK_COMPONENT development
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES "${CMAKE_CURRENT_SOURCE_DIR}/keyproj.h"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" COMPONENT development)

# The imported target keyproj::keyproj (EXPORT_NAME in capi/CMakeLists.txt).
install(EXPORT keyprojTargets
  NAMESPACE keyproj::
  FILE keyprojTargets.cmake
  DESTINATION "${KEYPROJ_INSTALL_CMAKEDIR}" COMPONENT development)
configure_package_config_file(
  "${CMAKE_CURRENT_SOURCE_DIR}/cmake/keyprojConfig.cmake.in"
  "${CMAKE_CURRENT_BINARY_DIR}/keyprojConfig.cmake"
  INSTALL_DESTINATION "${KEYPROJ_INSTALL_CMAKEDIR}")
# Functions are only appended within soname 1, so a newer 0.x (or 1.x) library
# serves a program written against an older one of the same major version.
write_basic_package_version_file(
  "${CMAKE_CURRENT_BINARY_DIR}/keyprojConfigVersion.cmake"
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/keyprojConfig.cmake" "${CMAKE_CURRENT_BINARY_DIR}/keyprojConfigVersion.cmake"
  DESTINATION "${KEYPROJ_INSTALL_CMAKEDIR}" COMPONENT development)

# keyproj.pc names the prefix the tree is installed to, which `cmake --install
# --prefix P` may choose after configuring: so it is written at install time, from
# the CMAKE_INSTALL_PREFIX that install step sees. Directories given as absolute
# paths are kept as they are.
foreach(kind LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${kind}}")
    set(_kp_pc_${kind} "${CMAKE_INSTALL_${kind}}")
  else()
    set(_kp_pc_${kind} "\${prefix}/${CMAKE_INSTALL_${kind}}")
  endif()
endforeach()
# The prefix itself is found from where keyproj.pc lies (pkg-config's ${pcfiledir}),
# so that an installed tree copied or moved elsewhere (a vendor's bundle) still finds
# its own library and header, not the tree it was installed to. A LIBDIR given as an
# absolute path names the prefix as installed.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(_kp_pc_PREFIX "")
else()
  string(REGEX REPLACE "[^/]+" ".." _kp_pc_up "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
  set(_kp_pc_PREFIX "\${pcfiledir}/${_kp_pc_up}")
endif()
install(CODE "
  set(KEYPROJ_PC_PREFIX [[${_kp_pc_PREFIX}]])
  if(KEYPROJ_PC_PREFIX STREQUAL \"\")
    set(KEYPROJ_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  endif()
  set(KEYPROJ_PC_LIBDIR [[${_kp_pc_LIBDIR}]])
  set(KEYPROJ_PC_INCLUDEDIR [[${_kp_pc_INCLUDEDIR}]])
  set(KEYPROJ_PC_VERSION [[${PROJECT_VERSION}]])
  configure_file([[${CMAKE_CURRENT_SOURCE_DIR}/cmake/keyproj.pc.in]]
                 [[${CMAKE_CURRENT_BINARY_DIR}/keyproj.pc]] @ONLY)
  " COMPONENT development)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/keyproj.pc"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig" COMPONENT development)
