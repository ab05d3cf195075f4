# Man pages, made by help2man from each program's --help (CLI11's
# rendering of its option table; the version is given here, since
# teiten-synth answers nothing without a subcommand), so a page never restates an
# option and cannot drift from the program. Built with the programs,
# installed by `cmake --install` into share/man/man1 (commands) and man8
# (daemons). help2man is a Debian package (scripts/setup installs it).
find_program(TEITEN_HELP2MAN help2man)
if(NOT TEITEN_HELP2MAN)
  message(WARNING "help2man not found: no man pages (Debian: apt-get install help2man)")
  return()
endif()

function(teiten_man_page target section description)
  set(page ${CMAKE_BINARY_DIR}/man/${target}.${section})
  add_custom_command(
    OUTPUT ${page}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND ${TEITEN_HELP2MAN} --no-info --no-discard-stderr --section=${section}
            --name=${description} "--version-string=${target} ${PROJECT_VERSION}"
            --output=${page} $<TARGET_FILE:${target}>
    DEPENDS ${target}
    COMMENT "Man page ${target}(${section})"
    VERBATIM)
  add_custom_target(${target}-man ALL DEPENDS ${page})
  install(FILES ${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endfunction()

teiten_man_page(teiten-sensor 8 "counts unsolicited packets into a local database")
teiten_man_page(teiten-collector 8 "gathers every sensor's counts over mutual TLS")
teiten_man_page(teitenctl 1 "sends one command to a teiten daemon's control socket")
teiten_man_page(teiten-report 1 "the monthly darknet report in Japanese and English")
teiten_man_page(teiten-synth 1 "darknet traffic as pcap files with exact ground truth")
