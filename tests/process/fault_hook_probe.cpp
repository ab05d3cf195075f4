// A fault point as production code writes it, compiled the way a build
// without -DTEITEN_FAULT_INJECTION compiles every daemon source. It links
// without teiten_process, so the point must expand to nothing that needs
// the hook; fault_hooks_in_binaries.py checks no hook name is in it.
#include "common/process/fault_injection.h"

#ifdef TEITEN_FAULT_INJECTION
#error "the probe stands for a build without fault injection"
#endif

int main(int argc, char**) {
  if (argc > 0 && TEITEN_FAULT_FIRES(exit_after_commit)) return 3;
  return 0;
}
