// Internal: whether a piece of work gets a second thread, by the one meaning of the
// `threads` setting (LoadOptions::threads, BuildOptions::threads): 1 = never, 2 or
// more = always, 0 = when the work is big enough to pay for a thread and the machine
// has a second hardware thread.
#ifndef KEYPROJ_INTERNAL_SECOND_THREAD_H_
#define KEYPROJ_INTERNAL_SECOND_THREAD_H_

#include <cstddef>
#include <thread>

namespace keyproj::internal {

inline bool UseSecondThread(int threads, size_t work, size_t worth_a_thread) {
  if (threads >= 2) return true;
  if (threads != 0 || work < worth_a_thread) return false;
  static const unsigned cores = std::thread::hardware_concurrency();
  return cores > 1;
}

}  // namespace keyproj::internal

#endif  // KEYPROJ_INTERNAL_SECOND_THREAD_H_
