# ipclab_mutant_tests(LAB TIME_LIMIT seconds [SERIAL] [RACY]
#                     REQUIRES target...)
#
# One ctest per mutant of LAB: each is the lab's reference with one
# realistic student bug (tests/LAB/mutants/NAME.patch); grading it must fail
# exactly the tests listed for it in tests/LAB/mutants/expected.txt
# (run_mutant.py beside this file checks it). `reference` and `skeleton`
# grade reference/LAB and skeletons/LAB as they are. All carry the label
# `mutants`: ctest -L mutants -R LAB.
#
# TIME_LIMIT is how long one grading may take before run_mutant.py calls
# the grader hung. REQUIRES names the targets a grading needs (the grader,
# ipclab-init, the reference, helpers); ctest reports "Not Run" instead of
# failing oddly when one is missing. SERIAL keeps ctest from running
# another grading at the same time. RACY also registers the racy mutants
# (see below); a lab passes it once its racy expected.txt is measured.
function(ipclab_mutant_tests lab)
  cmake_parse_arguments(ARG "SERIAL;RACY" "TIME_LIMIT" "REQUIRES" ${ARGN})
  set(dir ${CMAKE_SOURCE_DIR}/tests/${lab}/mutants)
  file(GLOB patches CONFIGURE_DEPENDS ${dir}/*.patch)
  # expected.txt is read at test time; keep it a configure dependency too,
  # so a new line without a new patch is noticed.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
               ${dir}/expected.txt)
  set(names reference skeleton)
  foreach(patch IN LISTS patches)
    get_filename_component(name ${patch} NAME_WE)
    list(APPEND names ${name})
  endforeach()
  set(required "")
  foreach(target IN LISTS ARG_REQUIRES)
    if(TARGET ${target})
      list(APPEND required "$<TARGET_FILE:${target}>")
    endif()
  endforeach()
  # ctest's own limit is well above the grader's, so a hung grader is
  # reported by run_mutant.py with its output rather than killed silently.
  math(EXPR ctest_timeout "${ARG_TIME_LIMIT} + 120")
  foreach(name IN LISTS names)
    add_test(NAME ${lab}.mutant.${name}
             COMMAND /usr/bin/python3
                     ${CMAKE_SOURCE_DIR}/tests/mutants/run_mutant.py
                     --lab ${lab}
                     --ipclab $<TARGET_FILE:ipclab>
                     --source-dir ${CMAKE_SOURCE_DIR}
                     --time-limit ${ARG_TIME_LIMIT}
                     --build-cache ${CMAKE_BINARY_DIR}/submission-ccache
                     --name ${name})
    set_tests_properties(${lab}.mutant.${name} PROPERTIES
      LABELS mutants
      TIMEOUT ${ctest_timeout}
      REQUIRED_FILES "${required}")
    if(ARG_SERIAL)
      set_tests_properties(${lab}.mutant.${name} PROPERTIES RUN_SERIAL TRUE)
    endif()
  endforeach()

  # Racy mutants (tests/LAB/mutants/racy/: bugs that no test catches in
  # every run) are graded with --repeat 5, so every test runs five times;
  # their own expected.txt lists what must fail, and after a `|` what may.
  # --only-listed grades only the ids that must fail (a whole lab five
  # times over takes minutes; the other tests are the regular mutants'
  # business). Labels mutants and racy: ctest -L racy. Only with RACY: an
  # unmeasured expected.txt must not make the suite fail.
  if(NOT ARG_RACY)
    return()
  endif()
  set(racy_dir ${dir}/racy)
  file(GLOB racy_patches CONFIGURE_DEPENDS ${racy_dir}/*.patch)
  if(racy_patches)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
                 ${racy_dir}/expected.txt)
  endif()
  math(EXPR racy_limit "${ARG_TIME_LIMIT} * 5")
  math(EXPR racy_timeout "${racy_limit} + 120")
  foreach(patch IN LISTS racy_patches)
    get_filename_component(name ${patch} NAME_WE)
    add_test(NAME ${lab}.racy.${name}
             COMMAND /usr/bin/python3
                     ${CMAKE_SOURCE_DIR}/tests/mutants/run_mutant.py
                     --lab ${lab}
                     --ipclab $<TARGET_FILE:ipclab>
                     --source-dir ${CMAKE_SOURCE_DIR}
                     --mutants-dir ${racy_dir}
                     --time-limit ${racy_limit}
                     --repeat 5
                     --build-cache ${CMAKE_BINARY_DIR}/submission-ccache
                     --only-listed
                     --name ${name})
    set_tests_properties(${lab}.racy.${name} PROPERTIES
      LABELS "mutants;racy"
      TIMEOUT ${racy_timeout}
      REQUIRED_FILES "${required}")
    if(ARG_SERIAL)
      set_tests_properties(${lab}.racy.${name} PROPERTIES RUN_SERIAL TRUE)
    endif()
  endforeach()
endfunction()
