# ipclab_mutant_tests(LAB TIME_LIMIT seconds [SERIAL] [RACY]
#                     REQUIRES target...)
#
# One ctest per mutant of LAB: each is the lab's reference with one
# realistic student bug (tests/LAB/mutants/NAME.patch); grading it must fail
# exactly the tests listed for it in tests/LAB/mutants/expected.txt
# (run_mutant.py beside this file checks it). `reference` and `skeleton`
# grade reference/LAB and skeletons/LAB as they are. The gradings are one
# `ipclab batch` (the fixture LAB.mutants.batch, run first by ctest even
# for `ctest -R LAB.mutant.NAME`; run_mutant.py --name NAME alone grades
# just one). All carry the label `mutants`: ctest -L mutants -R LAB.
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
  # The whole suite is graded as one class by `ipclab batch`
  # (batch_mutants.py): the fixture LAB.mutants.batch grades, each
  # LAB.mutant.NAME checks its own grading in the batch's output, and
  # LAB.mutants.gradebook checks the gradebook against every submission's
  # own reports. Each mutant is graded once, and the batch is tested on a
  # whole class every run. The batch's budget per grading is TIME_LIMIT: a
  # grading that outlives it is a hung grader, reported by the mutant's
  # test with its output. ctest's own limit is far above the batch's.
  set(batch_dir ${CMAKE_BINARY_DIR}/mutant-batch/${lab})
  set(batch_jobs 3)
  if(ARG_SERIAL)
    set(batch_jobs 1)
  endif()
  set(batch_script ${CMAKE_SOURCE_DIR}/tests/mutants/batch_mutants.py)
  set(batch_args --lab ${lab} --ipclab $<TARGET_FILE:ipclab>
                 --source-dir ${CMAKE_SOURCE_DIR} --out ${batch_dir}
                 --time-limit ${ARG_TIME_LIMIT} --jobs ${batch_jobs})
  add_test(NAME ${lab}.mutants.batch
           COMMAND /usr/bin/python3 ${batch_script} ${batch_args}
                   --build-cache ${CMAKE_BINARY_DIR}/submission-ccache)
  # Every grading may take its whole budget; three run at once.
  list(LENGTH names count)
  math(EXPR batch_timeout "(${count} * ${ARG_TIME_LIMIT}) / ${batch_jobs} + 300")
  set_tests_properties(${lab}.mutants.batch PROPERTIES
    LABELS mutants
    FIXTURES_SETUP ${lab}-mutant-batch
    PROCESSORS 2
    TIMEOUT ${batch_timeout}
    REQUIRED_FILES "${required}")
  add_test(NAME ${lab}.mutants.gradebook
           COMMAND /usr/bin/python3 ${batch_script} ${batch_args}
                   --check-gradebook)
  set_tests_properties(${lab}.mutants.gradebook PROPERTIES
    LABELS mutants
    FIXTURES_REQUIRED ${lab}-mutant-batch)
  if(ARG_SERIAL)
    set_tests_properties(${lab}.mutants.batch PROPERTIES RUN_SERIAL TRUE)
  endif()
  foreach(name IN LISTS names)
    add_test(NAME ${lab}.mutant.${name}
             COMMAND /usr/bin/python3
                     ${CMAKE_SOURCE_DIR}/tests/mutants/run_mutant.py
                     --lab ${lab}
                     --ipclab $<TARGET_FILE:ipclab>
                     --source-dir ${CMAKE_SOURCE_DIR}
                     --time-limit ${ARG_TIME_LIMIT}
                     --from-batch ${batch_dir}/out
                     --name ${name})
    set_tests_properties(${lab}.mutant.${name} PROPERTIES
      LABELS mutants
      TIMEOUT 120
      FIXTURES_REQUIRED ${lab}-mutant-batch)
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
