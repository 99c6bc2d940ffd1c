/* ows-selection-page.c: the screen where the user picks how to set up the network.
 * SPDX-License-Identifier: Apache-2.0
 *
 * One tile per registered client, straight from the registry's list model,
 * so tiles appear, change and go in place. Landscape screens get a row of
 * tiles, portrait ones a column.
 */
#include "config.h"

#include "ows-client-tile.h"
#include "ows-selection-page.h"

/* Tiles exist once the list view has been laid out: try for a few frames. */
#define FOCUS_MAX_FRAMES 10

struct _OwsSelectionPage
{
  AdwBin parent_instance;

  GtkScrolledWindow *scroller;
  GtkListView *tiles;
  GtkBox *actions;

  guint focus_tick_id;
  guint focus_frames;
};

G_DEFINE_FINAL_TYPE (OwsSelectionPage, ows_selection_page, ADW_TYPE_BIN)

static OwsClientTile *
find_first_tile (OwsSelectionPage *self)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->tiles));
  g_autoptr(GObject) first = model ? g_list_model_get_item (model, 0) : NULL;

  if (first == NULL)
    return NULL;
  /* The list view's children are its rows, each holding one tile. */
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->tiles));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *tile = gtk_widget_get_first_child (row);

      if (OWS_IS_CLIENT_TILE (tile) &&
          (GObject *) ows_client_tile_get_client (OWS_CLIENT_TILE (tile)) == first)
        return OWS_CLIENT_TILE (tile);
    }
  return NULL;
}

static gboolean
focus_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  OwsSelectionPage *self = OWS_SELECTION_PAGE (widget);
  OwsClientTile *tile = find_first_tile (self);

  if ((tile != NULL && gtk_widget_grab_focus (GTK_WIDGET (tile))) ||
      ++self->focus_frames >= FOCUS_MAX_FRAMES)
    {
      self->focus_tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
ows_selection_page_unmap (GtkWidget *widget)
{
  OwsSelectionPage *self = OWS_SELECTION_PAGE (widget);

  if (self->focus_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->focus_tick_id);
      self->focus_tick_id = 0;
    }
  GTK_WIDGET_CLASS (ows_selection_page_parent_class)->unmap (widget);
}

static void
ows_selection_page_class_init (OwsSelectionPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->unmap = ows_selection_page_unmap;

  g_type_ensure (OWS_TYPE_CLIENT_TILE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-selection-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwsSelectionPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, OwsSelectionPage, tiles);
  gtk_widget_class_bind_template_child (widget_class, OwsSelectionPage, actions);
}

static void
ows_selection_page_init (OwsSelectionPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Nothing is selected on this screen: a tap is a request, not a choice kept here. */
void
ows_selection_page_set_model (OwsSelectionPage *self,
                              GListModel       *model)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (OWS_IS_SELECTION_PAGE (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (model != NULL)
    selection = gtk_no_selection_new (g_object_ref (model));
  gtk_list_view_set_model (self->tiles, GTK_SELECTION_MODEL (selection));
}

void
ows_selection_page_set_portrait (OwsSelectionPage *self,
                                 gboolean          portrait)
{
  g_return_if_fail (OWS_IS_SELECTION_PAGE (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->tiles),
                                  portrait ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_halign (GTK_WIDGET (self->scroller), portrait ? GTK_ALIGN_FILL : GTK_ALIGN_CENTER);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->actions),
                                  portrait ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
}

/* Keyboard users start on the first tile (STYLE.md, accessibility). */
void
ows_selection_page_focus_first (OwsSelectionPage *self)
{
  g_return_if_fail (OWS_IS_SELECTION_PAGE (self));

  if (self->focus_tick_id != 0)
    return;
  self->focus_frames = 0;
  self->focus_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), focus_tick_cb, NULL, NULL);
}
