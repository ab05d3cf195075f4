# Writes OUT, a C++ source holding the page templates as raw string
# literals, so teiten-report needs no file beside it to write a page.
# Run as: cmake -DJA=... -DEN=... -DOUT=... -P embed_templates.cmake
file(READ "${JA}" ja)
file(READ "${EN}" en)
foreach(text ja en)
  string(FIND "${${text}}" ")TEITEN_TEMPLATE\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "template ${text} contains the raw-string delimiter")
  endif()
endforeach()
file(WRITE "${OUT}.tmp"
  "// Generated from daemon/report/templates by embed_templates.cmake; do not edit.\n"
  "#include \"daemon/report/report_templates.h\"\n\n"
  "namespace teiten::report_cli {\n"
  "const char* const kTemplateJa = R\"TEITEN_TEMPLATE(${ja})TEITEN_TEMPLATE\";\n"
  "const char* const kTemplateEn = R\"TEITEN_TEMPLATE(${en})TEITEN_TEMPLATE\";\n"
  "}  // namespace teiten::report_cli\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
