#include "common/config/key_info.h"

namespace teiten::config {

std::string_view name(Reload reload) {
  switch (reload) {
    case Reload::hot:
      return "hot";
    case Reload::restart:
      return "restart";
    case Reload::unset:
      break;
  }
  return "unset";
}

}  // namespace teiten::config
