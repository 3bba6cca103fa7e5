# libcodex is built from one OBJECT library per domain folder (libcodex/src/<name>/).
# A module lists the modules it uses; codex_link_modules() links the transitive closure,
# so a domain's tests build only that domain and what it stands on.

set(CODEX_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wswitch-enum -Werror)
# GCC 12 at -O3 reports false -Wrestrict warnings inside std::string operator+ (GCC bug 105329).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND CODEX_WARNINGS -Wno-restrict)
endif()

function(codex_add_module name)
  cmake_parse_arguments(M "" "" "DEPS;LIBS;SOURCES" ${ARGN})
  if(M_SOURCES)
    set(srcs ${M_SOURCES})
  else()
    # A folder's *_service.cpp files implement public service classes; they belong to the
    # "services" module, which stands on every other module.
    file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/src/${name}/*.cpp)
    list(FILTER srcs EXCLUDE REGEX "_service\\.cpp$")
  endif()
  if(NOT srcs)
    set(srcs ${CMAKE_CURRENT_BINARY_DIR}/empty_${name}.cpp)
    file(CONFIGURE OUTPUT ${srcs} CONTENT "// module ${name} has no sources yet\n")
  endif()
  add_library(codex_${name} OBJECT ${srcs})
  target_include_directories(codex_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/libcodex/include ${PROJECT_SOURCE_DIR}/libcodex/src)
  target_compile_options(codex_${name} PRIVATE ${CODEX_WARNINGS})
  if(M_LIBS)
    target_link_libraries(codex_${name} PUBLIC ${M_LIBS})
  endif()
  set_property(GLOBAL PROPERTY CODEX_MODULE_DEPS_${name} "${M_DEPS}")
  set_property(GLOBAL APPEND PROPERTY CODEX_MODULES ${name})
endfunction()

function(_codex_closure out)
  set(result "")
  set(todo ${ARGN})
  while(todo)
    list(POP_FRONT todo m)
    if(NOT m IN_LIST result)
      list(APPEND result ${m})
      get_property(deps GLOBAL PROPERTY CODEX_MODULE_DEPS_${m})
      list(APPEND todo ${deps})
    endif()
  endwhile()
  set(${out} ${result} PARENT_SCOPE)
endfunction()

# codex_link_modules(<target> <module>...): link the modules' objects and their libraries.
function(codex_link_modules target)
  _codex_closure(mods ${ARGN})
  foreach(m IN LISTS mods)
    # Linking an OBJECT library directly links its object files and usage requirements.
    target_link_libraries(${target} PRIVATE codex_${m})
  endforeach()
endfunction()

# codex_all_modules(<out>): every module, in definition order.
function(codex_all_modules out)
  get_property(mods GLOBAL PROPERTY CODEX_MODULES)
  set(${out} ${mods} PARENT_SCOPE)
endfunction()
