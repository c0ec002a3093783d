# packaging.cmake - what `cmake --install` puts where, and the .deb CPack
# builds from it.  The man page and the bash completion are generated from
# the built padscan's --help texts (packaging/gen-*.sh), so they cannot drift.
include(GNUInstallDirs)
set(_pk ${CMAKE_CURRENT_SOURCE_DIR}/packaging)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/padscan.1
  COMMAND sh ${_pk}/gen-man.sh $<TARGET_FILE:padscan> ${CMAKE_BINARY_DIR}/padscan.1
  DEPENDS padscan ${_pk}/gen-man.sh VERBATIM)
# installed gzip'd (Debian policy 12.1); -n: no name or time stamp inside
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/padscan.1.gz
  COMMAND gzip -9nf -k ${CMAKE_BINARY_DIR}/padscan.1
  DEPENDS ${CMAKE_BINARY_DIR}/padscan.1 VERBATIM)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/padscan.bash-completion
  COMMAND sh ${_pk}/gen-completion.sh $<TARGET_FILE:padscan> ${CMAKE_BINARY_DIR}/padscan.bash-completion
  DEPENDS padscan ${_pk}/gen-completion.sh VERBATIM)
add_custom_target(padscan_docs ALL
  DEPENDS ${CMAKE_BINARY_DIR}/padscan.1.gz ${CMAKE_BINARY_DIR}/padscan.bash-completion)

install(FILES ${CMAKE_BINARY_DIR}/padscan.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_BINARY_DIR}/padscan.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME padscan)
install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/docs/schema/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/padscan/schema FILES_MATCHING PATTERN "*.json")
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE ${CMAKE_CURRENT_SOURCE_DIR}/README.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# cpack -G DEB: Depends computed by dpkg-shlibdeps from what the binary
# really links (libc6, libcjson1, libdwarf1, libelf1, libprotobuf-c1, zlib1g on Debian 12).
set(CPACK_PACKAGE_NAME padscan)
set(CPACK_PACKAGE_VENDOR "padscan developers")
set(CPACK_PACKAGE_CONTACT "padscan developers <padscan@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "struct padding in Go and C binaries, from their DWARF")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
include(CPack)
