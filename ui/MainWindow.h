#pragma once

#include "LibraryOverview.h"
#include "theme/Theme.h"

#include <QMainWindow>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QScrollArea;
class QSplitter;
class QStackedWidget;
class QTimer;

namespace ripen::ui {

class AssetInspector;
class CollectionActions;
struct AssetsBehind;
class CoreBridge;
class CreditsDashboard;
class UpscaleReviewView;
class CurationViews;
class DemoLibraryMaker;
class GalleryView;
class ImportStatusWidget;
class LibrarySidebar;
class GenerationPanel;
class InpaintView;
class MotionView;
class JobStatusWidget;
class KeyStore;
class QueueView;
class RecipesView;

// The main window arranges and nothing more: the sidebar, a stack of views (the gallery
// now; inpaint, review, motion, recipes and credits plug in later), the status bar and
// the menus. Each view owns its model and talks to the CoreBridge itself. Files and
// folders dropped anywhere on the window are imported.
//
// Thread affinity: GUI thread.
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(CoreBridge& bridge, QWidget* parent = nullptr);

    // Window geometry, toolbar/dock state and the splitter, from and to QSettings. The
    // window saves on close only after restoreSettings() was called, so tests and the
    // screenshot tool leave the user's settings alone.
    void restoreSettings();
    void saveSettings() const;
    bool remembersSettings() const { return m_persistent; }
    // File > Open Library… (`mustExist`) and New Library… end here: asks for the library in
    // `folder` to replace the open one (LibrarySession does the switch).
    void requestLibrary(const QString& folder, bool mustExist);

    // Queues an import of these files and folders.
    void importPaths(const QStringList& paths);

    GalleryView& gallery() { return *m_gallery; }
    LibrarySidebar& sidebar() { return *m_sidebar; }
    ImportStatusWidget& importStatus() { return *m_importStatus; }
    AssetInspector& inspector() { return *m_inspector; }
    CurationViews& curationViews() { return *m_curationViews; }
    QStackedWidget& views() { return *m_views; }
    // File > Export… for the gallery's selection.
    void exportSelection();
    QString assetCountText() const;
    GenerationPanel& generationPanel() { return *m_generationPanel; }
    QueueView& queueView() { return *m_queueView; }
    JobStatusWidget& jobStatus() { return *m_jobStatus; }
    // Where Settings keeps provider keys; without one the key rows are disabled. Keys it
    // loads or saves go to the job queue.
    void setKeyStore(KeyStore* keys);
    void showSettings();
    // The first-run welcome (providers and keys); main shows it once, Help any time.
    void showWelcome();
    // Draws the demo images off the GUI thread and imports them.
    void createDemoLibrary();
    // Re-runs the selected gallery asset's recipe on its provider's pro model.
    void promoteSelected();
    // The gallery narrowed to these assets (a click-through from the credit dashboard).
    void showAssets(const AssetsBehind& assets);
    // Requests, rows or thumbnails still on their way.
    bool isBusy() const;
    // Opens the gallery's current image in the inpaint editor (View > Inpaint).
    void inpaintSelected();
    InpaintView& inpaintView() { return *m_inpaint; }
    // Opens the gallery's current image as the Motion view's keyframe (View > Motion).
    void animateSelected();
    MotionView& motionView() { return *m_motion; }
    // View > Recipes (Ctrl+6): edit, plan and run recipes, open and expand run manifests.
    void showRecipes();
    RecipesView& recipesView() { return *m_recipes; }
    CollectionActions& collectionActions() { return *m_collections; }

signals:
    void libraryRequested(const QString& folder, bool mustExist);

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void showOverview(const LibraryOverview& overview);
    void chooseFiles();
    void chooseFolder();
    void setTheme(ThemeChoice choice);
    void dimLibraryPath();
    void showAbout();
    void installCuration();
    void createCurationMenu();
    void createProductionDocks();
    void installCreditsView();
    void showCredits();
    void createProductionMenu();
    void installUpscaleReview();
    void showUpscaleReview();
    void installEditorViews();
    void installSmartFilters();
    void saveSmartFilter();
    void connectCreditsView();
    void installRecipesView();
    void installCollections();
    void addLibraryMenuEntries(QMenu& file);
    void chooseLibrary(bool existing);

    CoreBridge& m_bridge;
    LibrarySidebar* m_sidebar;
    QStackedWidget* m_views;
    GalleryView* m_gallery;
    QSplitter* m_splitter;
    QLabel* m_assetCount;
    QLabel* m_libraryPath;
    ImportStatusWidget* m_importStatus;
    QAction* m_importFiles = nullptr;
    QAction* m_importFolder = nullptr;
    QMenu* m_photoMenu = nullptr; // culling and collections for the selection
    QAction* m_systemTheme = nullptr;
    QAction* m_darkTheme = nullptr;
    QAction* m_lightTheme = nullptr;
    bool m_persistent = false;
    AssetInspector* m_inspector = nullptr;
    QDockWidget* m_inspectorDock = nullptr;
    CurationViews* m_curationViews = nullptr;
    QAction* m_export = nullptr;
    GenerationPanel* m_generationPanel = nullptr;
    QueueView* m_queueView = nullptr;
    JobStatusWidget* m_jobStatus = nullptr;
    QDockWidget* m_generationDock = nullptr;
    QDockWidget* m_queueDock = nullptr;
    KeyStore* m_keyStore = nullptr;
    DemoLibraryMaker* m_demoMaker = nullptr;
    CreditsDashboard* m_credits = nullptr;
    QScrollArea* m_creditsScroll = nullptr;
    UpscaleReviewView* m_upscaleReview = nullptr;
    QAction* m_upscaleReviewAction = nullptr;
    InpaintView* m_inpaint = nullptr;
    MotionView* m_motion = nullptr;
    quint64 m_budgetRequest = 0;
    RecipesView* m_recipes = nullptr;
    CollectionActions* m_collections = nullptr;
    QTimer* m_libraryReload = nullptr; // coalesces libraryChanged (a burst of job results)
    // libraryChanged and assetsAdded since the last reload: equal counts mean that only
    // assets were added, and the gallery fetches just those.
    int m_pendingChanges = 0;
    int m_pendingAdditions = 0;
};

} // namespace ripen::ui
