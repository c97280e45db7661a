// capi/keyproj.h compiles as C++ (twice: its include guard works) and its
// declarations have C linkage: this links against libkeyproj.so by those names.
#include "keyproj.h"
#include "keyproj.h"

#include <cstdio>

int main() {
  kp_load_options load = KP_LOAD_OPTIONS_INIT;
  kp_render_options render = KP_RENDER_OPTIONS_INIT;
  kp_buffer buf = {nullptr, 0};
  int failed = 0;
  if (kp_version_number() != KP_VERSION_NUMBER) ++failed;
  if (kp_load_options_init(&load, KP_LOAD_OPTIONS_VERSION) != KP_OK) ++failed;
  if (kp_render_options_init(&render, KP_RENDER_OPTIONS_VERSION) != KP_OK) ++failed;
  kp_buffer_dispose(&buf);
  std::printf("capi_cxx: %d passed, %d failed\n", 3 - failed, failed);
  return failed == 0 ? 0 : 1;
}
