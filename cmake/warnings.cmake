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
    # Undefined behaviour fails the test that meets it, not just a log line.
    if(TEITEN_SANITIZER MATCHES "undefined")
      target_compile_options(${target} PRIVATE -fno-sanitize-recover=undefined)
    endif()
    # GCC 12's flow analysis sees through sanitizer instrumentation badly:
    # with -fsanitize=address it reports std::function members inside
    # <regex> as maybe-uninitialized (tests/geo/locator_test.cpp), with
    # -fsanitize=thread at -O1 the json inside a std::optional
    # (daemon/synth/month_report.cpp), and -Werror stopped the sanitizer
    # build. The normal build keeps the warning.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
    endif()
    # GCC warns that TSan does not model atomic_thread_fence, which Boost.Asio's
    # handler dispatch uses next to its mutexes (which TSan does model); with
    # -Werror that warning would stop every TSan build in Asio's headers.
    if(TEITEN_SANITIZER MATCHES "thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_compile_options(${target} PRIVATE -Wno-tsan)
    endif()
  endif()
  if(TEITEN_FUZZ)
    # Coverage for libFuzzer in every target, so a fuzz target learns from
    # all of teiten's code it reaches; only tests/fuzz links libFuzzer itself.
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
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
