# SPDX-License-Identifier: GPL-3.0-or-later
# Layered libraries. A layer is one folder with its own static library; it may use only the
# layers declared before it in its group. Two things enforce that:
#   - include paths: a layer sees the public headers of the layers it links and no others, so
#     including a header of a higher layer fails to compile;
#   - quant_check_layers(): run at the end of configuration, it fails when a layer links (directly,
#     PUBLIC, PRIVATE or INTERFACE) a layer of the same group that is not below it.
# tests/layering/ checks the check: it configures a project whose low layer links a higher one
# and expects configuration to fail.

# quant_layer_order(GROUP layer...): the layers of GROUP, lowest first.
function(quant_layer_order group)
  set_property(GLOBAL PROPERTY QUANT_LAYERS_${group} ${ARGN})
  set_property(GLOBAL APPEND PROPERTY QUANT_LAYER_GROUPS ${group})
endfunction()

# quant_register_layer(GROUP LAYER TARGET): TARGET is the library of LAYER in GROUP.
function(quant_register_layer group layer target)
  get_property(_order GLOBAL PROPERTY QUANT_LAYERS_${group})
  list(FIND _order ${layer} _rank)
  if(_rank EQUAL -1)
    message(FATAL_ERROR "layer '${layer}' is not in the layer order of ${group}: ${_order}")
  endif()
  set_property(GLOBAL PROPERTY QUANT_LAYER_TARGET_${group}_${layer} ${target})
  set_property(TARGET ${target} PROPERTY QUANT_LAYER_RANK ${_rank})
  set_property(TARGET ${target} PROPERTY QUANT_LAYER_NAME ${layer})
  set_property(GLOBAL APPEND PROPERTY QUANT_LAYER_TARGETS_${group} ${target})
endfunction()

# Fails configuration when a registered layer links one of its own group that is not below it.
function(quant_check_layers)
  get_property(_groups GLOBAL PROPERTY QUANT_LAYER_GROUPS)
  foreach(_group IN LISTS _groups)
    get_property(_targets GLOBAL PROPERTY QUANT_LAYER_TARGETS_${_group})
    get_property(_order GLOBAL PROPERTY QUANT_LAYERS_${_group})
    list(JOIN _order " -> " _order_text)
    foreach(_t IN LISTS _targets)
      get_target_property(_rank ${_t} QUANT_LAYER_RANK)
      get_target_property(_name ${_t} QUANT_LAYER_NAME)
      get_target_property(_links ${_t} LINK_LIBRARIES)
      get_target_property(_ilinks ${_t} INTERFACE_LINK_LIBRARIES)
      foreach(_dep IN LISTS _links _ilinks)
        if(NOT _dep OR NOT TARGET ${_dep} OR NOT _dep IN_LIST _targets)
          continue()
        endif()
        get_target_property(_deprank ${_dep} QUANT_LAYER_RANK)
        get_target_property(_depname ${_dep} QUANT_LAYER_NAME)
        if(NOT _deprank LESS _rank)
          message(FATAL_ERROR "layering: ${_group} layer '${_name}' (${_t}) links '${_depname}' "
                              "(${_dep}), which is not below it (lowest first: ${_order_text})")
        endif()
      endforeach()
    endforeach()
  endforeach()
endfunction()
