# The Debian package: `cmake --build <build dir> --target package` makes
# cometd-cli_VERSION_ARCH.deb (CPack) with the binary, the man page, the bash, zsh and fish
# completions in their system folders, the plugin header, and the copyright and changelog
# Debian policy asks for. Its dependencies are computed by dpkg-shlibdeps.

set(COMETD_DEB_MAINTAINER "cometd-cli developers <cometd-cli@localhost>" CACHE STRING
    "The Maintainer of the Debian package: 'Name <address>'")

# Man pages and changelogs are installed compressed (Debian policy 12.1, 12.7), without a
# name or time stamp in the gzip header (-n); the changelog's date is the configure time, or
# SOURCE_DATE_EPOCH when set (string(TIMESTAMP) honours it), for reproducible builds.
string(TIMESTAMP COMETD_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(${CMAKE_CURRENT_LIST_DIR}/changelog.in ${PROJECT_BINARY_DIR}/packaging/changelog
               @ONLY)
set(compressed_man ${PROJECT_BINARY_DIR}/packaging/cometd-cli.1.gz)
set(compressed_changelog ${PROJECT_BINARY_DIR}/packaging/changelog.gz)
add_custom_command(
  OUTPUT ${compressed_man} ${compressed_changelog}
  COMMAND sh -c "gzip -9nc \"$1\" > \"$2\" && gzip -9nc \"$3\" > \"$4\"" gzip
          ${PROJECT_SOURCE_DIR}/man/cometd-cli.1 ${compressed_man}
          ${PROJECT_BINARY_DIR}/packaging/changelog ${compressed_changelog}
  DEPENDS ${PROJECT_SOURCE_DIR}/man/cometd-cli.1 ${PROJECT_BINARY_DIR}/packaging/changelog
  COMMENT "Compressing the man page and the changelog"
  VERBATIM)
add_custom_target(compressed_docs ALL DEPENDS ${compressed_man} ${compressed_changelog})

# The compiler's version strings (.comment) have no use in an installed binary.
find_program(OBJCOPY NAMES objcopy ${CMAKE_OBJCOPY} REQUIRED)
install(CODE "execute_process(COMMAND ${OBJCOPY} --remove-section=.comment
  \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/cometd-cli\"
  COMMAND_ERROR_IS_FATAL ANY)")
install(FILES ${compressed_man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${compressed_changelog} ${CMAKE_CURRENT_LIST_DIR}/copyright
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/cometd-cli)
install(FILES ${PROJECT_SOURCE_DIR}/completions/cometd-cli.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME cometd-cli)
install(FILES ${PROJECT_SOURCE_DIR}/completions/_cometd-cli
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${PROJECT_SOURCE_DIR}/completions/cometd-cli.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cometd-cli)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "command-line client for CometD / Bayeux servers")
# The extended description; CPack puts the summary above it as the synopsis.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "cometd-cli speaks the Bayeux 1.0 protocol of CometD, Faye and Salesforce\n\
Streaming API servers over WebSocket and long-polling. It subscribes to\n\
channels and writes each message received to standard output as one line of\n\
JSON, publishes what standard input says, calls service channels and probes\n\
what a server offers. It reconnects by itself, and fits shell pipelines,\n\
scripts and cron jobs.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${COMETD_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
