# teiten_target_defaults(target): warnings, sanitizers and include root for every teiten target.
function(teiten_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion -Wnon-virtual-dtor)
  if(TEITEN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(TEITEN_SANITIZER)
    target_compile_options(${target} PRIVATE -fsanitize=${TEITEN_SANITIZER} -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${TEITEN_SANITIZER})
  endif()
endfunction()

# teiten_library(name SOURCES... DEPS...): one static library per concern under common/.
function(teiten_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  teiten_target_defaults(${name})
endfunction()
