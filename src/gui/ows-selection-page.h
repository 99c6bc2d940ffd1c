/* ows-selection-page.h: the screen where the user picks how to set up the network.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "ows-manager.h"

G_BEGIN_DECLS

#define OWS_TYPE_SELECTION_PAGE (ows_selection_page_get_type ())

G_DECLARE_FINAL_TYPE (OwsSelectionPage, ows_selection_page, OWS, SELECTION_PAGE, AdwBin)

void ows_selection_page_set_model       (OwsSelectionPage *self,
                                         GListModel       *model);
void ows_selection_page_set_outcome     (OwsSelectionPage *self,
                                         OwsOutcome        outcome,
                                         OwsClient        *client);
void ows_selection_page_set_n_hidden    (OwsSelectionPage *self,
                                         guint             n_hidden);
void ows_selection_page_focus_first     (OwsSelectionPage *self);

G_END_DECLS
