/* ows-selection-page.c: the screen where the user picks how to set up the network.
 * SPDX-License-Identifier: Apache-2.0
 *
 * One tile per client the window offers, straight from a list model, so
 * tiles appear, change and go in place. They wrap into as many columns as
 * the width holds and scroll up and down; a few sit centred. Above them,
 * how the last attempt ended, so that the user knows why they are back.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ows-client-tile.h"
#include "ows-display-text.h"
#include "ows-selection-page.h"

/* Tiles exist once the grid has been laid out: try for a few frames. */
#define FOCUS_MAX_FRAMES 10

struct _OwsSelectionPage
{
  AdwBin parent_instance;

  GListModel *model;
  guint focus_position;     /* the tile to focus once laid out */
  guint focus_tick_id;
  guint focus_frames;

  GtkGridView *tiles;
  GtkWidget *subtitle;
  GtkLabel *hidden_note;
  GtkWidget *outcome;
  GtkLabel *outcome_text;
  GtkWidget *actions;
};

G_DEFINE_FINAL_TYPE (OwsSelectionPage, ows_selection_page, ADW_TYPE_BIN)

static OwsClientTile *
find_tile (OwsSelectionPage *self,
           guint             position)
{
  g_autoptr(GObject) item = self->model ? g_list_model_get_item (self->model, position) : NULL;

  if (item == NULL)
    return NULL;
  /* The grid's children are its cells, each holding one tile. */
  for (GtkWidget *cell = gtk_widget_get_first_child (GTK_WIDGET (self->tiles));
       cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      GtkWidget *tile = gtk_widget_get_first_child (cell);

      if (OWS_IS_CLIENT_TILE (tile) &&
          (GObject *) ows_client_tile_get_client (OWS_CLIENT_TILE (tile)) == item)
        return OWS_CLIENT_TILE (tile);
    }
  return NULL;
}

/* The tile at focus_position, or with no tiles left, the first action. */
static gboolean
focus_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  OwsSelectionPage *self = OWS_SELECTION_PAGE (widget);
  guint n = self->model ? g_list_model_get_n_items (self->model) : 0;
  GtkWidget *target = NULL;

  if (n == 0)
    target = gtk_widget_get_first_child (gtk_widget_get_first_child (self->actions));
  else
    target = (GtkWidget *) find_tile (self, MIN (self->focus_position, n - 1));

  if ((target != NULL && gtk_widget_grab_focus (target)) ||
      ++self->focus_frames >= FOCUS_MAX_FRAMES)
    {
      self->focus_tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
focus_tile_later (OwsSelectionPage *self,
                  guint             position)
{
  self->focus_position = position;
  self->focus_frames = 0;
  if (self->focus_tick_id == 0)
    self->focus_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), focus_tick_cb,
                                                        NULL, NULL);
}

/* Runs before the grid hears of the change. When the focused tile's client
 * goes, GTK would hand focus to some other tile, where Enter would start a
 * client the user never looked at: instead, focus goes to the tile that
 * takes its place, and shows where it is. */
static void
items_changed_cb (GListModel       *model,
                  guint             position,
                  guint             removed,
                  guint             added,
                  OwsSelectionPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *tile = focus ? gtk_widget_get_ancestor (focus, OWS_TYPE_CLIENT_TILE) : NULL;
  OwsClient *client = tile ? ows_client_tile_get_client (OWS_CLIENT_TILE (tile)) : NULL;
  guint n = g_list_model_get_n_items (model);

  if (removed == 0 || client == NULL)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (item == (GObject *) client)
        return;
    }
  gtk_window_set_focus_visible (GTK_WINDOW (root), TRUE);
  focus_tile_later (self, position);
}

/* As many columns as tiles, so that a few sit centred rather than in the
 * first columns of a row; the width decides how many fit. After the grid
 * heard of the change: it must not lay out a model it has not caught up with. */
static void
sync_columns (OwsSelectionPage *self)
{
  guint n = self->model ? g_list_model_get_n_items (self->model) : 0;

  gtk_grid_view_set_max_columns (self->tiles, MAX (n, 1));
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
ows_selection_page_dispose (GObject *object)
{
  OwsSelectionPage *self = OWS_SELECTION_PAGE (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (ows_selection_page_parent_class)->dispose (object);
}

static void
ows_selection_page_class_init (OwsSelectionPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ows_selection_page_dispose;
  widget_class->unmap = ows_selection_page_unmap;

  g_type_ensure (OWS_TYPE_CLIENT_TILE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-selection-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OwsSelectionPage, tiles);
  gtk_widget_class_bind_template_child (widget_class, OwsSelectionPage, subtitle);
  gtk_widget_class_bind_template_child (widget_class, OwsSelectionPage, hidden_note);
  gtk_widget_class_bind_template_child (widget_class, OwsSelectionPage, outcome);
  gtk_widget_class_bind_template_child (widget_class, OwsSelectionPage, outcome_text);
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

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_set_object (&self->model, model);
  if (model != NULL)
    {
      /* Connected before the grid's own selection model is. */
      g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), self);
      selection = gtk_no_selection_new (g_object_ref (model));
      g_signal_connect_object (selection, "items-changed", G_CALLBACK (sync_columns), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
    }
  gtk_grid_view_set_model (self->tiles, GTK_SELECTION_MODEL (selection));
  sync_columns (self);
}

/* How the last attempt ended; @client is the one it tells of. */
void
ows_selection_page_set_outcome (OwsSelectionPage *self,
                                OwsOutcome        outcome,
                                OwsClient        *client)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (OWS_IS_SELECTION_PAGE (self));
  g_return_if_fail (client == NULL || OWS_IS_CLIENT (client));

  /* The outcome ends with what the subtitle says: one of them is enough. */
  gtk_widget_set_visible (self->outcome, outcome != OWS_OUTCOME_NONE && client != NULL);
  gtk_widget_set_visible (self->subtitle, !gtk_widget_get_visible (self->outcome));
  if (outcome == OWS_OUTCOME_NONE || client == NULL)
    return;

  name = ows_display_text_for_client (client);
  if (outcome == OWS_OUTCOME_FAILED)
    /* Translators: %s is the name of the setup method that gave up */
    text = g_strdup_printf (_("“%s” could not set up the network. Try again, or choose "
                              "another way."), name);
  else
    /* Translators: %s is the name of the setup method that said it was done */
    text = g_strdup_printf (_("“%s” finished, but this device still cannot reach the "
                              "internet. Try again, or choose another way."), name);
  gtk_label_set_text (self->outcome_text, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->outcome),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

/* @n_hidden: registered clients not offered here (they need the OVOS
 * screen): said, so that nobody looks for them in vain. */
void
ows_selection_page_set_n_hidden (OwsSelectionPage *self,
                                 guint             n_hidden)
{
  g_autofree char *text = NULL;

  g_return_if_fail (OWS_IS_SELECTION_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->hidden_note), n_hidden > 0);
  if (n_hidden == 0)
    return;
  text = g_strdup_printf (ngettext ("%u other setup method needs the OVOS screen, which is not running.",
                                    "%u other setup methods need the OVOS screen, which is not running.",
                                    n_hidden), n_hidden);
  gtk_label_set_text (self->hidden_note, text);
}

/* Keyboard users start on the first tile (STYLE.md, accessibility). */
void
ows_selection_page_focus_first (OwsSelectionPage *self)
{
  g_return_if_fail (OWS_IS_SELECTION_PAGE (self));
  focus_tile_later (self, 0);
}
