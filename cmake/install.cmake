# Install rules for everything but the binaries (each daemon/*/CMakeLists.txt
# installs its own program into CMAKE_INSTALL_SBINDIR or CMAKE_INSTALL_BINDIR).
#
# A Debian package builds with -DCMAKE_INSTALL_PREFIX=/usr and installs with
# DESTDIR, which gives:
#   /usr/sbin/teiten-sensor, /usr/sbin/teiten-collector, /usr/bin/teitenctl,
#   /usr/bin/teiten-report (reads /usr/share/teiten/ports.yaml), ...
#   /usr/lib/systemd/system/teiten-{sensor,collector}.service
#   /usr/lib/sysusers.d/teiten.conf, /usr/lib/tmpfiles.d/teiten.conf
#   /etc/teiten/{sensor,collector}.yaml              (examples to edit)
#   /usr/share/doc/teiten/examples/{sensor,collector}.yaml
#   /usr/share/doc/teiten/*.md, README.md, LICENSE
#   /usr/share/teiten/ports.yaml, /usr/share/teiten/make-certs
#   /usr/share/bash-completion/completions/{teiten-sensor,...,teiten-synth}
#   /usr/share/man/man8/teiten-{sensor,collector}.8, man1/{teitenctl,...}.1 (cmake/man.cmake)
# (Debian 12 merges /lib into /usr/lib, so /usr/lib/systemd/system is
# /lib/systemd/system.) tests/systemd/install_layout.sh checks this.
#
# Paths that depend on the prefix are decided when installing, so that
# `cmake --install BUILD --prefix DIR` relocates them too:
#   - the configuration directory is /etc for the prefixes /usr and /, and
#     PREFIX/etc otherwise (GNUInstallDirs' rule), unless TEITEN_SYSCONFDIR
#     names one;
#   - the units name /usr/sbin/... and /etc/teiten/...; for any other layout
#     those two paths are rewritten to the installed ones;
#   - an existing configuration file is never overwritten when installing
#     straight into the system (no DESTDIR): a reinstall must not clobber an
#     operator's edits.

set(TEITEN_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE PATH
    "systemd system unit directory (relative: below the install prefix)")
set(TEITEN_SYSUSERS_DIR "lib/sysusers.d" CACHE PATH
    "sysusers.d directory (relative: below the install prefix)")
set(TEITEN_TMPFILES_DIR "lib/tmpfiles.d" CACHE PATH
    "tmpfiles.d directory (relative: below the install prefix)")
set(TEITEN_SYSCONFDIR "" CACHE PATH
    "configuration directory holding teiten/ (empty: /etc for the prefixes /usr and /, else PREFIX/etc)")
option(TEITEN_INSTALL_SYSTEMD "Install the systemd units, sysusers.d and tmpfiles.d files" ON)

set(_teiten_src ${PROJECT_SOURCE_DIR})

# Shared by the install-time snippets below: resolves the configuration
# and sbin directories, and (_teiten_dest) the DESTDIR-prefixed absolute
# path that file(WRITE) needs.
install(CODE "
  set(_teiten_sysconfdir \"${TEITEN_SYSCONFDIR}\")
  if(NOT _teiten_sysconfdir)
    if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\" OR CMAKE_INSTALL_PREFIX STREQUAL \"/\")
      set(_teiten_sysconfdir /etc)
    else()
      set(_teiten_sysconfdir \"\${CMAKE_INSTALL_PREFIX}/etc\")
    endif()
  elseif(NOT IS_ABSOLUTE \"\${_teiten_sysconfdir}\")
    set(_teiten_sysconfdir \"\${CMAKE_INSTALL_PREFIX}/\${_teiten_sysconfdir}\")
  endif()
  set(_teiten_sbindir \"${CMAKE_INSTALL_SBINDIR}\")
  if(NOT IS_ABSOLUTE \"\${_teiten_sbindir}\")
    set(_teiten_sbindir \"\${CMAKE_INSTALL_PREFIX}/\${_teiten_sbindir}\")
  endif()
  string(REGEX REPLACE \"/+\" \"/\" _teiten_sysconfdir \"\${_teiten_sysconfdir}\")
  string(REGEX REPLACE \"/+\" \"/\" _teiten_sbindir \"\${_teiten_sbindir}\")
  function(_teiten_dest out path)
    if(IS_ABSOLUTE \"\${path}\")
      set(\${out} \"\$ENV{DESTDIR}\${path}\" PARENT_SCOPE)
    else()
      set(\${out} \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/\${path}\" PARENT_SCOPE)
    endif()
  endfunction()
")

# Example configurations, to edit in place (kept when they already exist).
# Mode 0644 inside /etc/teiten, which teiten.tmpfiles makes 0750 root:teiten.
install(CODE "
  # file(INSTALL) adds DESTDIR itself.
  set(_dir \"\${_teiten_sysconfdir}/teiten\")
  foreach(_name sensor.yaml collector.yaml)
    if(EXISTS \"\${_dir}/\${_name}\" AND \"\$ENV{DESTDIR}\" STREQUAL \"\")
      message(STATUS \"Keeping existing: \${_dir}/\${_name}\")
    else()
      file(INSTALL \"${_teiten_src}/config/\${_name}\" DESTINATION \"\${_dir}\")
    endif()
  endforeach()
")
install(FILES ${_teiten_src}/config/sensor.yaml ${_teiten_src}/config/collector.yaml
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

install(FILES ${_teiten_src}/config/ports.yaml DESTINATION ${CMAKE_INSTALL_DATADIR}/teiten)

# One bash completion file serves every program; bash-completion loads it
# by the name of the command being completed.
foreach(_program teiten-sensor teiten-collector teitenctl teiten-report teiten-synth)
  install(FILES ${_teiten_src}/scripts/bash-completion/teiten
          DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ${_program})
endforeach()
install(PROGRAMS ${_teiten_src}/scripts/make-certs DESTINATION ${CMAKE_INSTALL_DATADIR}/teiten)

install(DIRECTORY ${_teiten_src}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md")
install(FILES ${_teiten_src}/README.md ${_teiten_src}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${_teiten_src}/systemd/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME systemd.md)

if(TEITEN_INSTALL_SYSTEMD)
  install(FILES ${_teiten_src}/systemd/teiten.sysusers DESTINATION ${TEITEN_SYSUSERS_DIR} RENAME teiten.conf)
  install(FILES ${_teiten_src}/systemd/teiten.tmpfiles DESTINATION ${TEITEN_TMPFILES_DIR} RENAME teiten.conf)
  # The units as written name /usr/sbin and /etc/teiten; other layouts get
  # those two paths rewritten so that ExecStart= finds the installed binary.
  install(CODE "
    _teiten_dest(_dir \"${TEITEN_SYSTEMD_UNIT_DIR}\")
    foreach(_unit teiten-sensor.service teiten-collector.service)
      file(READ \"${_teiten_src}/systemd/\${_unit}\" _text)
      string(REPLACE \"/usr/sbin/\" \"\${_teiten_sbindir}/\" _text \"\${_text}\")
      string(REPLACE \"/etc/teiten/\" \"\${_teiten_sysconfdir}/teiten/\" _text \"\${_text}\")
      file(MAKE_DIRECTORY \"\${_dir}\")
      message(STATUS \"Installing: \${_dir}/\${_unit}\")
      file(WRITE \"\${_dir}/\${_unit}\" \"\${_text}\")
      list(APPEND CMAKE_INSTALL_MANIFEST_FILES \"\${_dir}/\${_unit}\")
    endforeach()
  ")
endif()
