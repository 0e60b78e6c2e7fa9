# Writes a man page (roff) for PROGRAM from its --help, and from
# `PROGRAM SUB --help` for each of SUBCOMMANDS (a ;-list), to OUTPUT.
# Run by the build (cmake -P), so the pages say what the programs say.
#   -DPROGRAM=path -DNAME=understudy -DSUMMARY="..." -DSUBCOMMANDS="run;list" -DOUTPUT=file
function(help_of out)
  execute_process(COMMAND ${PROGRAM} ${ARGN} --help OUTPUT_VARIABLE text RESULT_VARIABLE rc
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} ${ARGN} --help failed (${rc}): ${err}")
  endif()
  # The usage line names the program as it was run (a build path): use its name.
  string(REPLACE "${PROGRAM}" "${NAME}" text "${text}")
  # roff: a backslash is an escape, and a line starting with . or ' a request.
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

string(TOUPPER "${NAME}" title)
help_of(main)
set(page ".TH ${title} 1 \"\" \"understudy ${VERSION}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\n${NAME} \\- ${SUMMARY}\n.SH DESCRIPTION\n.nf\n${main}\n.fi\n")
foreach(sub IN LISTS SUBCOMMANDS)
  help_of(text ${sub})
  string(TOUPPER "${sub}" sub_title)
  string(APPEND page ".SH ${title} ${sub_title}\n.nf\n${text}\n.fi\n")
endforeach()
string(APPEND page ".SH FILES\n.TP\nPREFIX/share/understudy/examples/README.md\n"
                   "A small studio repository using Understudy, as a walkthrough.\n"
                   ".TP\nPREFIX/share/understudy/scenarios/\nThe shipped scenario suite, "
                   "and README.md: the scenario file format and its steps.\n")
file(WRITE "${OUTPUT}" "${page}")
