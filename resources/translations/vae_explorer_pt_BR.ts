<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>ClassTiles</name>
    <message>
        <source>{name}: click to decode as this class</source>
        <translation>{name}: clique para decodificar como esta classe</translation>
    </message>
</context>
<context>
    <name>Classes</name>
    <message>
        <source>T-shirt</source>
        <translation>Camiseta</translation>
    </message>
    <message>
        <source>Trouser</source>
        <translation>Calça</translation>
    </message>
    <message>
        <source>Pullover</source>
        <translation>Suéter</translation>
    </message>
    <message>
        <source>Dress</source>
        <translation>Vestido</translation>
    </message>
    <message>
        <source>Coat</source>
        <translation>Casaco</translation>
    </message>
    <message>
        <source>Sandal</source>
        <translation>Sandália</translation>
    </message>
    <message>
        <source>Shirt</source>
        <translation>Camisa</translation>
    </message>
    <message>
        <source>Sneaker</source>
        <translation>Tênis</translation>
    </message>
    <message>
        <source>Bag</source>
        <translation>Bolsa</translation>
    </message>
    <message>
        <source>Boot</source>
        <translation>Bota</translation>
    </message>
    <message>
        <source>T-shirt/top</source>
        <translation>Camiseta/blusa</translation>
    </message>
    <message>
        <source>Ankle boot</source>
        <translation>Bota de cano curto</translation>
    </message>
</context>
<context>
    <name>ExplorePanel</name>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Imagem PNG (*.png)</translation>
    </message>
    <message>
        <source>Could not save {path}: {reason}. Choose another folder.</source>
        <translation>Não foi possível salvar {path}: {reason}. Escolha outra pasta.</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>{path} salvo</translation>
    </message>
</context>
<context>
    <name>ExploreView</name>
    <message>
        <source>trained in this session (unsaved)</source>
        <translation>treinado nesta sessão (não salvo)</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Carregando o modelo…</translation>
    </message>
    <message>
        <source>Reconstruct &amp;&amp; denoise</source>
        <translation>Reconstruir e limpar</translation>
    </message>
    <message>
        <source>16×16 samples</source>
        <translation>16×16 amostras</translation>
    </message>
    <message>
        <source>Interpolation</source>
        <translation>Interpolação</translation>
    </message>
    <message>
        <source>Style transfer</source>
        <translation>Transferir estilo</translation>
    </message>
    <message>
        <source>Posterior</source>
        <translation>Posteriori</translation>
    </message>
    <message>
        <source>Drag to share the height between the decoded point and the tabs</source>
        <translation>Arraste para dividir a altura entre o ponto decodificado e as abas</translation>
    </message>
    <message>
        <source>Reconstruct the image on the clipboard</source>
        <translation>Reconstruir a imagem da área de transferência</translation>
    </message>
    <message>
        <source>Model: {title}</source>
        <translation>Modelo: {title}</translation>
    </message>
    <message>
        <source>latent dimension {latent}</source>
        <translation>dimensão latente {latent}</translation>
    </message>
    <message>
        <source>test total_loss {total} (ce {ce}, kl {kl}) nats</source>
        <translation>total_loss de teste {total} (ce {ce}; kl {kl}) nats</translation>
    </message>
    <message>
        <source>class-conditional, classifies {share} of the test set ({refined} refined)</source>
        <translation>condicionado à classe, classifica {share} do conjunto de teste ({refined} com refinamento)</translation>
    </message>
    <message>
        <source>class-conditional, classifies {share} of the test set</source>
        <translation>condicionado à classe, classifica {share} do conjunto de teste</translation>
    </message>
    <message>
        <source>class-conditional</source>
        <translation>condicionado à classe</translation>
    </message>
    <message>
        <source>an earlier version of this file</source>
        <translation>uma versão anterior deste arquivo</translation>
    </message>
    <message>
        <source>a fine-tune of {source}, {seconds} s of training</source>
        <translation>um ajuste fino de {source}, {seconds} s de treinamento</translation>
    </message>
    <message>
        <source>1 epoch fine-tuning {source}, {seconds} s of training</source>
        <translation>1 época de ajuste fino de {source}, {seconds} s de treinamento</translation>
    </message>
    <message>
        <source>1 epoch, {seconds} s of training</source>
        <translation>1 época, {seconds} s de treinamento</translation>
    </message>
    <message>
        <source>{epochs} epochs fine-tuning {source}, {seconds} s of training</source>
        <translation>{epochs} épocas de ajuste fino de {source}, {seconds} s de treinamento</translation>
    </message>
    <message>
        <source>{epochs} epochs, {seconds} s of training</source>
        <translation>{epochs} épocas, {seconds} s de treinamento</translation>
    </message>
    <message>
        <source>no model card beside this file</source>
        <translation>sem cartão do modelo ao lado deste arquivo</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Nenhum modelo carregado</translation>
    </message>
    <message>
        <source>Train one, or open a model with File ▸ Open model…</source>
        <translation>Treine um ou abra um modelo em Arquivo ▸ Abrir modelo…</translation>
    </message>
    <message>
        <source>{count} models dropped: one opens at a time, {name} first</source>
        <translation>{count} modelos soltos: abre-se um por vez, {name} primeiro</translation>
    </message>
</context>
<context>
    <name>InterpolationPanel</name>
    <message>
        <source>A = current point</source>
        <translation>A = ponto atual</translation>
    </message>
    <message>
        <source>B = current point</source>
        <translation>B = ponto atual</translation>
    </message>
    <message>
        <source>Images along the straight path from A to B</source>
        <translation>Imagens ao longo do caminho reto de A a B</translation>
    </message>
    <message>
        <source>Click an image to make it the current point</source>
        <translation>Clique em uma imagem para torná-la o ponto atual</translation>
    </message>
    <message>
        <source>Save strip…</source>
        <translation>Salvar faixa…</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>passos</translation>
    </message>
    <message>
        <source>Interpolation: pick a point (or select a reconstructed image), set it as A, then B.</source>
        <translation>Interpolação: escolha um ponto (ou selecione uma imagem reconstruída), defina-o como A, depois B.</translation>
    </message>
    <message>
        <source>A is set (marked on the plane). Pick another point and press “B = current point”.</source>
        <translation>A está definido (marcado no plano). Escolha outro ponto e pressione “B = ponto atual”.</translation>
    </message>
    <message>
        <source>B is set (marked on the plane). Pick another point and press “A = current point”.</source>
        <translation>B está definido (marcado no plano). Escolha outro ponto e pressione “A = ponto atual”.</translation>
    </message>
    <message>
        <source>Pick a point on the plane and press “A = current point”, then another and press “B = current point”: the garments on the straight path between them appear here.</source>
        <translation>Escolha um ponto no plano e pressione “A = ponto atual”, depois outro e pressione “B = ponto atual”: as peças no caminho reto entre eles aparecem aqui.</translation>
    </message>
    <message>
        <source>Interpolation image {index} of {count}</source>
        <translation>Imagem {index} de {count} da interpolação</translation>
    </message>
    <message>
        <source>Save the interpolation strip</source>
        <translation>Salvar a faixa de interpolação</translation>
    </message>
</context>
<context>
    <name>LossPlots</name>
    <message>
        <source>Smooth</source>
        <translation>Suavizar</translation>
    </message>
    <message>
        <source>Moving average over the chosen number of batches</source>
        <translation>Média móvel sobre o número escolhido de lotes</translation>
    </message>
    <message>
        <source>Batches in the moving average</source>
        <translation>Lotes na média móvel</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>Escala log</translation>
    </message>
    <message>
        <source>median: –</source>
        <translation>mediana: –</translation>
    </message>
    <message>
        <source>Loss per batch (nats per image)</source>
        <translation>Perda por lote (nats por imagem)</translation>
    </message>
    <message>
        <source>KL divergence per batch (nats)</source>
        <translation>Divergência KL por lote (nats)</translation>
    </message>
    <message>
        <source>Training time per batch (ms)</source>
        <translation>Tempo de treinamento por lote (ms)</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>lote</translation>
    </message>
    <message>
        <source>validation total</source>
        <translation>validação total</translation>
    </message>
    <message>
        <source>validation ce</source>
        <translation>validação ce</translation>
    </message>
    <message>
        <source>validation kl</source>
        <translation>validação kl</translation>
    </message>
    <message>
        <source>median: {ms} ms/batch</source>
        <translation>mediana: {ms} ms/lote</translation>
    </message>
    <message>
        <source> · first batch {ms} ms (tracing the step)</source>
        <translation> · primeiro lote {ms} ms (rastreando o passo)</translation>
    </message>
    <message>
        <source>batch {g} · epoch {epoch}, step {step}</source>
        <translation>lote {g} · época {epoch}, passo {step}</translation>
    </message>
    <message>
        <source>batch {g}</source>
        <translation>lote {g}</translation>
    </message>
    <message>
        <source> (smoothed {value})</source>
        <translation> (suavizado {value})</translation>
    </message>
    <message>
        <source>validation: {values}</source>
        <translation>validação: {values}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Train</source>
        <translation>Treinar</translation>
    </message>
    <message>
        <source>Explore</source>
        <translation>Explorar</translation>
    </message>
    <message>
        <source>no model</source>
        <translation>sem modelo</translation>
    </message>
    <message>
        <source>A new run replaces it in Explore when it ends.</source>
        <translation>Um novo treinamento o substitui em Explorar quando terminar.</translation>
    </message>
    <message>
        <source>&amp;New training</source>
        <translation>&amp;Novo treinamento</translation>
    </message>
    <message>
        <source>Go to the Train area with fresh plots</source>
        <translation>Ir para a área Treinar com gráficos limpos</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>&amp;Abrir modelo…</translation>
    </message>
    <message>
        <source>Load a .keras model saved by VAE Explorer</source>
        <translation>Carregar um modelo .keras salvo pelo VAE Explorer</translation>
    </message>
    <message>
        <source>&amp;Save model as…</source>
        <translation>&amp;Salvar modelo como…</translation>
    </message>
    <message>
        <source>Save the current model and its card</source>
        <translation>Salvar o modelo atual e seu cartão</translation>
    </message>
    <message>
        <source>Model &amp;card…</source>
        <translation>Cartão do &amp;modelo…</translation>
    </message>
    <message>
        <source>Everything the current model&apos;s card records: its figures, its training, its notes</source>
        <translation>Tudo o que o cartão do modelo atual registra: seus números, seu treinamento, suas notas</translation>
    </message>
    <message>
        <source>&amp;Export metrics CSV…</source>
        <translation>&amp;Exportar métricas CSV…</translation>
    </message>
    <message>
        <source>Write every batch&apos;s metrics to a CSV file</source>
        <translation>Gravar as métricas de cada lote em um arquivo CSV</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>Sai&amp;r</translation>
    </message>
    <message>
        <source>Quit VAE Explorer</source>
        <translation>Sair do VAE Explorer</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Arquivo</translation>
    </message>
    <message>
        <source>Open {name}, trained by the app&apos;s authors (see its model card)</source>
        <translation>Abrir {name}, treinado pelos autores do app (veja o cartão do modelo)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Exibir</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>&amp;Treinar</translation>
    </message>
    <message>
        <source>&amp;Explore</source>
        <translation>E&amp;xplorar</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aj&amp;uda</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Atalhos de teclado</translation>
    </message>
    <message>
        <source>List every keyboard shortcut</source>
        <translation>Listar todos os atalhos de teclado</translation>
    </message>
    <message>
        <source>&amp;About VAE Explorer</source>
        <translation>&amp;Sobre o VAE Explorer</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>Carregando {name}…</translation>
    </message>
    <message>
        <source>A run is training: {name} can be opened when it ends</source>
        <translation>Um treinamento está em andamento: {name} pode ser aberto quando ele terminar</translation>
    </message>
    <message>
        <source>{path} is not there any more (moved, renamed or deleted), so it is taken off the recent models. Open it where it is now with File ▸ Open model…</source>
        <translation>{path} não está mais lá (movido, renomeado ou apagado), então sai dos modelos recentes. Abra-o onde ele está agora em Arquivo ▸ Abrir modelo…</translation>
    </message>
    <message>
        <source>Model ready: {title}</source>
        <translation>Modelo pronto: {title}</translation>
    </message>
    <message>
        <source>model: {title} (latent {latent})</source>
        <translation>modelo: {title} (latente {latent})</translation>
    </message>
    <message>
        <source>The current model ({title}) stays loaded.</source>
        <translation>O modelo atual ({title}) continua carregado.</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>Nenhum modelo está carregado.</translation>
    </message>
    <message>
        <source>Could not load {name}</source>
        <translation>Não foi possível carregar {name}</translation>
    </message>
    <message>
        <source>Could not open the model</source>
        <translation>Não foi possível abrir o modelo</translation>
    </message>
    <message>
        <source>The trained model is in Explore, not saved yet: File ▸ Save model as… (Ctrl+Shift+S)</source>
        <translation>O modelo treinado está em Explorar, ainda não salvo: Arquivo ▸ Salvar modelo como… (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <source>Unsaved model</source>
        <translation>Modelo não salvo</translation>
    </message>
    <message>
        <source>The model trained in this session is not saved. {consequence}

Save it first?</source>
        <translation>O modelo treinado nesta sessão não está salvo. {consequence}

Salvá-lo antes?</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Salvar…</translation>
    </message>
    <message>
        <source>Don&apos;t save</source>
        <translation>Não salvar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Opening another model replaces it in Explore.</source>
        <translation>Abrir outro modelo o substitui em Explorar.</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Abrir re&amp;cente</translation>
    </message>
    <message>
        <source>Open s&amp;hipped model</source>
        <translation>Abrir modelo &amp;incluído</translation>
    </message>
    <message>
        <source>Open model</source>
        <translation>Abrir modelo</translation>
    </message>
    <message>
        <source>VAE Explorer models (*.keras)</source>
        <translation>Modelos do VAE Explorer (*.keras)</translation>
    </message>
    <message>
        <source>Save model as</source>
        <translation>Salvar modelo como</translation>
    </message>
    <message>
        <source>Keras model (*.keras)</source>
        <translation>Modelo Keras (*.keras)</translation>
    </message>
    <message>
        <source>Saving {name}…</source>
        <translation>Salvando {name}…</translation>
    </message>
    <message>
        <source>Saved {path} and its card</source>
        <translation>{path} e seu cartão salvos</translation>
    </message>
    <message>
        <source>Saving failed</source>
        <translation>Falha ao salvar</translation>
    </message>
    <message>
        <source>Could not save the model</source>
        <translation>Não foi possível salvar o modelo</translation>
    </message>
    <message>
        <source>Export metrics CSV</source>
        <translation>Exportar métricas CSV</translation>
    </message>
    <message>
        <source>Could not export</source>
        <translation>Não foi possível exportar</translation>
    </message>
    <message>
        <source>Could not write {path}: {reason}</source>
        <translation>Não foi possível gravar {path}: {reason}</translation>
    </message>
    <message>
        <source>Wrote {rows} batches to {path}</source>
        <translation>{rows} lotes gravados em {path}</translation>
    </message>
    <message>
        <source>Train a convolutional variational autoencoder on Fashion-MNIST and explore what it learned.</source>
        <translation>Treine um autoencoder variacional convolucional no Fashion-MNIST e explore o que ele aprendeu.</translation>
    </message>
    <message>
        <source>MIT License. Fashion-MNIST: Zalando Research, MIT License.</source>
        <translation>Licença MIT. Fashion-MNIST: Zalando Research, licença MIT.</translation>
    </message>
    <message>
        <source>Checkpoints of the runs: {folder}</source>
        <translation>Checkpoints dos treinamentos: {folder}</translation>
    </message>
    <message>
        <source>About VAE Explorer</source>
        <translation>Sobre o VAE Explorer</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>O treinamento está em andamento</translation>
    </message>
    <message>
        <source>Stop training and quit? The last completed epoch is kept as a checkpoint.</source>
        <translation>Parar o treinamento e sair? A última época concluída fica guardada como checkpoint.</translation>
    </message>
    <message>
        <source>Stop and quit</source>
        <translation>Parar e sair</translation>
    </message>
    <message>
        <source>Keep training</source>
        <translation>Continuar treinando</translation>
    </message>
    <message>
        <source>Quitting drops it.</source>
        <translation>Sair o descarta.</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>  - {place}: {path}</source>
        <translation>  - {place}: {path}</translation>
    </message>
    <message>
        <source>--strategy multiworker needs the TF_CONFIG environment variable on every worker, e.g. {example}</source>
        <translation>--strategy multiworker precisa da variável de ambiente TF_CONFIG em cada worker, por exemplo {example}</translation>
    </message>
    <message>
        <source>Checkpoint after epoch {epoch} not written ({reason}). Training goes on; the previous checkpoint, if any, is unchanged.</source>
        <translation>O checkpoint após a época {epoch} não foi gravado ({reason}). O treinamento continua; o checkpoint anterior, se houver, não foi alterado.</translation>
    </message>
    <message>
        <source>Debian package dataset-fashion-mnist</source>
        <translation>pacote Debian dataset-fashion-mnist</translation>
    </message>
    <message>
        <source>Fashion-MNIST was not found. Looked in:
{looked}
Get it in one of three ways:
  1. sudo apt-get install dataset-fashion-mnist   (Debian/Ubuntu; installs to {debian})
  2. put the four .gz files in a folder and pass --data-dir FOLDER or set {variable}=FOLDER
  3. connect to the internet: the files are then downloaded from the official mirrors into {cache}</source>
        <translation>O Fashion-MNIST não foi encontrado. Procurado em:
{looked}
Obtenha-o de uma de três formas:
  1. sudo apt-get install dataset-fashion-mnist   (Debian/Ubuntu; instala em {debian})
  2. coloque os quatro arquivos .gz em uma pasta e passe --data-dir PASTA ou defina {variable}=PASTA
  3. conecte-se à internet: os arquivos são então baixados dos espelhos oficiais para {cache}</translation>
    </message>
    <message>
        <source>Fourier features must be a whole number from 0 to {most}, got {value!r}</source>
        <translation>as características de Fourier devem ser um número inteiro de 0 a {most}; recebido {value!r}</translation>
    </message>
    <message>
        <source>KL warm-up must be a number of epochs &gt;= 0, got {value!r}</source>
        <translation>o aquecimento do KL deve ser um número de épocas &gt;= 0; recebido {value!r}</translation>
    </message>
    <message>
        <source>Keras cache</source>
        <translation>cache do Keras</translation>
    </message>
    <message>
        <source>TF_CONFIG is not valid JSON ({reason} at character {position}); write it as {example}</source>
        <translation>TF_CONFIG não é um JSON válido ({reason} no caractere {position}); escreva-o como {example}</translation>
    </message>
    <message>
        <source>TF_CONFIG needs a &quot;cluster&quot; that lists each job&apos;s workers as &quot;host:port&quot; strings, e.g. {example}</source>
        <translation>TF_CONFIG precisa de um &quot;cluster&quot; que liste os workers de cada job como textos &quot;host:porta&quot;, por exemplo {example}</translation>
    </message>
    <message>
        <source>TF_CONFIG needs a &quot;task&quot; whose &quot;type&quot; is one of the cluster&apos;s jobs ({jobs}), e.g. {example}</source>
        <translation>TF_CONFIG precisa de uma &quot;task&quot; cujo &quot;type&quot; seja um dos jobs do cluster ({jobs}), por exemplo {example}</translation>
    </message>
    <message>
        <source>TF_CONFIG: the task &quot;index&quot; must be a whole number from 0 to {last} (this worker&apos;s place in the &quot;{job}&quot; list), got {value!r}</source>
        <translation>TF_CONFIG: o &quot;index&quot; da task deve ser um número inteiro de 0 a {last} (a posição deste worker na lista &quot;{job}&quot;); recebido {value!r}</translation>
    </message>
    <message>
        <source>a model file name must end in .keras, got {name!r}</source>
        <translation>o nome de um arquivo de modelo deve terminar em .keras; recebido {name!r}</translation>
    </message>
    <message>
        <source>batch size must be a whole number from 1 to {most}, got {value!r}</source>
        <translation>o tamanho do lote deve ser um número inteiro de 1 a {most}; recebido {value!r}</translation>
    </message>
    <message>
        <source>batch size {batch} is larger than the {n} training images; choose a smaller batch or more images</source>
        <translation>o tamanho do lote {batch} é maior que as {n} imagens de treinamento; escolha um lote menor ou mais imagens</translation>
    </message>
    <message>
        <source>beta must be a finite number &gt;= 0, got {value!r}</source>
        <translation>beta deve ser um número finito &gt;= 0; recebido {value!r}</translation>
    </message>
    <message>
        <source>broken symbolic link</source>
        <translation>link simbólico quebrado</translation>
    </message>
    <message>
        <source>cannot save to {path}: the folder {folder} does not exist</source>
        <translation>não é possível salvar em {path}: a pasta {folder} não existe</translation>
    </message>
    <message>
        <source>cannot use {path!r} as an image: {reason}</source>
        <translation>não é possível usar {path!r} como imagem: {reason}</translation>
    </message>
    <message>
        <source>conditional must be true or false, got {value!r}</source>
        <translation>conditional deve ser verdadeiro ou falso; recebido {value!r}</translation>
    </message>
    <message>
        <source>could not download Fashion-MNIST:
  {errors}</source>
        <translation>não foi possível baixar o Fashion-MNIST:
  {errors}</translation>
    </message>
    <message>
        <source>could not load {path}: {reason}</source>
        <translation>não foi possível carregar {path}: {reason}</translation>
    </message>
    <message>
        <source>could not save the model to {path}: {reason}. The model is still in memory; choose another folder or free some space and save again.</source>
        <translation>não foi possível salvar o modelo em {path}: {reason}. O modelo continua na memória; escolha outra pasta ou libere espaço e salve de novo.</translation>
    </message>
    <message>
        <source>encoder and decoder each take exactly two conv stages (28 -&gt; 14 -&gt; 7)</source>
        <translation>o codificador e o decodificador têm exatamente duas etapas convolucionais cada (28 -&gt; 14 -&gt; 7)</translation>
    </message>
    <message>
        <source>epochs must be a whole number from 1 to {most}, got {value!r}</source>
        <translation>as épocas devem ser um número inteiro de 1 a {most}; recebido {value!r}</translation>
    </message>
    <message>
        <source>final learning-rate fraction must be in (0, 1], got {value!r}</source>
        <translation>a fração final da taxa de aprendizado deve estar em (0, 1]; recebido {value!r}</translation>
    </message>
    <message>
        <source>hidden_layers must be a whole number from 0 to 4, got {value!r}</source>
        <translation>hidden_layers deve ser um número inteiro de 0 a 4; recebido {value!r}</translation>
    </message>
    <message>
        <source>hidden_units must be a whole number &gt;= 0, got {value!r}</source>
        <translation>hidden_units deve ser um número inteiro &gt;= 0; recebido {value!r}</translation>
    </message>
    <message>
        <source>it is a folder, not an image file</source>
        <translation>é uma pasta, não um arquivo de imagem</translation>
    </message>
    <message>
        <source>label conditioning must be one of {choices}, got {value!r}</source>
        <translation>o condicionamento pelo rótulo deve ser um de {choices}; recebido {value!r}</translation>
    </message>
    <message>
        <source>latent dimension must be a whole number from 1 to {most}, got {value!r}</source>
        <translation>a dimensão latente deve ser um número inteiro de 1 a {most}; recebido {value!r}</translation>
    </message>
    <message>
        <source>learning rate must be a number in (0, {most:g}], got {value!r}</source>
        <translation>a taxa de aprendizado deve ser um número em (0, {most:g}]; recebido {value!r}</translation>
    </message>
    <message>
        <source>multi-worker training stopped: a collective operation failed, usually because another worker stopped or cannot be reached (TensorFlow: {cause}). No epoch was completed; start the same command on every worker again.</source>
        <translation>o treinamento com vários workers parou: uma operação coletiva falhou, em geral porque outro worker parou ou não pode ser alcançado (TensorFlow: {cause}). Nenhuma época foi concluída; inicie o mesmo comando em cada worker de novo.</translation>
    </message>
    <message>
        <source>multi-worker training stopped: a collective operation failed, usually because another worker stopped or cannot be reached (TensorFlow: {cause}). The last completed epoch ({epochs}) is in {path}: start the same command on every worker with --resume pointing at its checkpoint.</source>
        <translation>o treinamento com vários workers parou: uma operação coletiva falhou, em geral porque outro worker parou ou não pode ser alcançado (TensorFlow: {cause}). A última época concluída ({epochs}) está em {path}: inicie o mesmo comando em cada worker com --resume apontando para o seu checkpoint.</translation>
    </message>
    <message>
        <source>no model file at {path}</source>
        <translation>nenhum arquivo de modelo em {path}</translation>
    </message>
    <message>
        <source>no such file</source>
        <translation>o arquivo não existe</translation>
    </message>
    <message>
        <source>not an image file Pillow can read (PNG, JPEG, BMP, GIF, WebP, TIFF, ...)</source>
        <translation>não é um arquivo de imagem que o Pillow consiga ler (PNG, JPEG, BMP, GIF, WebP, TIFF, ...)</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>permissão negada</translation>
    </message>
    <message>
        <source>precision must be one of {choices}, got {value!r}</source>
        <translation>a precisão deve ser uma de {choices}; recebido {value!r}</translation>
    </message>
    <message>
        <source>resume a checkpoint or start from a model&apos;s weights, not both</source>
        <translation>retome um checkpoint ou parta dos pesos de um modelo, não os dois</translation>
    </message>
    <message>
        <source>seed must be a whole number from 0 to 2^31-1, got {value!r}</source>
        <translation>a semente deve ser um número inteiro de 0 a 2^31-1; recebido {value!r}</translation>
    </message>
    <message>
        <source>strategy must be one of {choices}, got {value!r}</source>
        <translation>a estratégia deve ser uma de {choices}; recebido {value!r}</translation>
    </message>
    <message>
        <source>temperature must be a finite number &gt; 0 (1 is the prior itself), got {value!r}</source>
        <translation>a temperatura deve ser um número finito &gt; 0 (1 é a própria priori); recebido {value!r}</translation>
    </message>
    <message>
        <source>the card {card} belongs to another version of {name} (checksum differs); restore the matching pair, or delete the card to load the model without it</source>
        <translation>o cartão {card} pertence a outra versão de {name} (o checksum difere); restaure o par correspondente ou apague o cartão para carregar o modelo sem ele</translation>
    </message>
    <message>
        <source>the checkpoint {path} has architecture {saved}, which differs from the requested {requested}; resume with the same model settings</source>
        <translation>o checkpoint {path} tem a arquitetura {saved}, diferente da pedida, {requested}; retome com as mesmas configurações de modelo</translation>
    </message>
    <message>
        <source>the class discrimination weight must be a finite number &gt;= 0, got {value!r}</source>
        <translation>o peso da discriminação de classes deve ser um número finito &gt;= 0; recebido {value!r}</translation>
    </message>
    <message>
        <source>the class penalty must be a finite number &gt;= 0, got {value!r}</source>
        <translation>a penalidade de classe deve ser um número finito &gt;= 0; recebido {value!r}</translation>
    </message>
    <message>
        <source>the file is corrupt ({kind}: {reason})</source>
        <translation>o arquivo está corrompido ({kind}: {reason})</translation>
    </message>
    <message>
        <source>the file is corrupt or truncated ({reason})</source>
        <translation>o arquivo está corrompido ou truncado ({reason})</translation>
    </message>
    <message>
        <source>the file is empty (0 bytes)</source>
        <translation>o arquivo está vazio (0 bytes)</translation>
    </message>
    <message>
        <source>the file is {size:.0f} MiB; images over {limit} MiB are refused</source>
        <translation>o arquivo tem {size:.0f} MiB; imagens acima de {limit} MiB são recusadas</translation>
    </message>
    <message>
        <source>the folder {folder} was given for Fashion-MNIST but lacks {missing}</source>
        <translation>a pasta {folder} foi indicada para o Fashion-MNIST, mas faltam {missing}</translation>
    </message>
    <message>
        <source>the image could not be decoded ({kind}: {reason})</source>
        <translation>não foi possível decodificar a imagem ({kind}: {reason})</translation>
    </message>
    <message>
        <source>the image has no pixels</source>
        <translation>a imagem não tem pixels</translation>
    </message>
    <message>
        <source>the image is too large to decode safely (decompression bomb limit)</source>
        <translation>a imagem é grande demais para decodificar com segurança (limite contra bombas de descompressão)</translation>
    </message>
    <message>
        <source>the model card {path} cannot be read ({reason}); restore it, or move it aside to load the model without its card</source>
        <translation>não é possível ler o cartão do modelo {path} ({reason}); restaure-o, ou mova-o para outro lugar para carregar o modelo sem o cartão</translation>
    </message>
    <message>
        <source>{n} more files left out (at most {most} at a time)</source>
        <translation>mais {n} arquivos deixados de fora (no máximo {most} por vez)</translation>
    </message>
    <message>
        <source>{path} is not a VAE Explorer model card ({reason}); restore it, or move it aside to load the model without its card</source>
        <translation>{path} não é um cartão de modelo do VAE Explorer ({reason}); restaure-o, ou mova-o para outro lugar para carregar o modelo sem o cartão</translation>
    </message>
    <message>
        <source>the number of samples must be a whole number from 0 to {most:,}, got {value!r}</source>
        <translation>o número de amostras deve ser um número inteiro de 0 a {most:,}; recebido {value!r}</translation>
    </message>
    <message>
        <source>the picture is one flat colour: there is no garment in it</source>
        <translation>a imagem é de uma só cor: não há nenhuma peça nela</translation>
    </message>
    <message>
        <source>this class-conditional model needs labels: 0-{last} or one of {names}</source>
        <translation>este modelo condicionado à classe precisa de rótulos: 0-{last} ou um de {names}</translation>
    </message>
    <message>
        <source>this model is not class-conditional: it takes no labels (train one with --conditional, or the Train area&apos;s class box)</source>
        <translation>este modelo não é condicionado à classe: não aceita rótulos (treine um com --conditional, ou com a caixa de classe da área Treinar)</translation>
    </message>
    <message>
        <source>training-set size must be a whole number &gt;= 1, got {value!r}</source>
        <translation>o tamanho do conjunto de treinamento deve ser um número inteiro &gt;= 1; recebido {value!r}</translation>
    </message>
    <message>
        <source>unknown garment class {item!r}: use 0-{last} or one of {names}</source>
        <translation>classe de peça desconhecida {item!r}: use 0-{last} ou uma de {names}</translation>
    </message>
    <message>
        <source>unknown strategy {name!r}</source>
        <translation>estratégia desconhecida {name!r}</translation>
    </message>
    <message>
        <source>{labels} labels for {n} items</source>
        <translation>{labels} rótulos para {n} itens</translation>
    </message>
    <message>
        <source>{missing}
(download failed: {reason})</source>
        <translation>{missing}
(o download falhou: {reason})</translation>
    </message>
    <message>
        <source>{name} must be positive whole numbers, got {value!r}</source>
        <translation>{name} devem ser números inteiros positivos; recebido {value!r}</translation>
    </message>
    <message>
        <source>{name}: could not be read ({kind}: {reason})</source>
        <translation>{name}: não pôde ser lido ({kind}: {reason})</translation>
    </message>
    <message>
        <source>{name}: no image files in this folder (PNG, JPEG, GIF, BMP, WebP, TIFF)</source>
        <translation>{name}: nenhum arquivo de imagem nesta pasta (PNG, JPEG, GIF, BMP, WebP, TIFF)</translation>
    </message>
    <message>
        <source>{name}: the folder cannot be read ({reason})</source>
        <translation>{name}: não foi possível ler a pasta ({reason})</translation>
    </message>
    <message>
        <source>{name}: {reason}</source>
        <translation>{name}: {reason}</translation>
    </message>
    <message>
        <source>{path} did not load as a VAE Explorer CVAE</source>
        <translation>{path} não carregou como um CVAE do VAE Explorer</translation>
    </message>
    <message>
        <source>{path} has another architecture than the requested one ({differences}); leave out the model settings to take the model&apos;s own</source>
        <translation>{path} tem uma arquitetura diferente da pedida ({differences}); omita as configurações de modelo para usar as do próprio modelo</translation>
    </message>
    <message>
        <source>{path} has latent dimension {model} but its card says {card}; the card does not belong to this model</source>
        <translation>{path} tem dimensão latente {model}, mas o seu cartão diz {card}; o cartão não pertence a este modelo</translation>
    </message>
    <message>
        <source>{path} has model settings this version cannot read ({reason})</source>
        <translation>{path} tem configurações de modelo que esta versão não consegue ler ({reason})</translation>
    </message>
    <message>
        <source>{path} has no model card to record the figures in</source>
        <translation>{path} não tem cartão do modelo onde registrar os números</translation>
    </message>
    <message>
        <source>{path} has no training record in its card, so training cannot resume from it</source>
        <translation>{path} não tem registro de treinamento no cartão, então o treinamento não pode ser retomado a partir dele</translation>
    </message>
    <message>
        <source>{path} holds no weights (model.weights.h5 is missing)</source>
        <translation>{path} não contém pesos (falta model.weights.h5)</translation>
    </message>
    <message>
        <source>{path} is a Keras model of another kind ({name}), not a VAE Explorer CVAE</source>
        <translation>{path} é um modelo Keras de outro tipo ({name}), não um CVAE do VAE Explorer</translation>
    </message>
    <message>
        <source>{path} is a folder; choose a .keras model file</source>
        <translation>{path} é uma pasta; escolha um arquivo de modelo .keras</translation>
    </message>
    <message>
        <source>{path} is a zip file but not a Keras model (no config.json)</source>
        <translation>{path} é um arquivo zip, mas não um modelo Keras (sem config.json)</translation>
    </message>
    <message>
        <source>{path} is corrupt (a member fails its CRC check)</source>
        <translation>{path} está corrompido (um membro falha na verificação CRC)</translation>
    </message>
    <message>
        <source>{path} is corrupt or truncated: {reason}</source>
        <translation>{path} está corrompido ou truncado: {reason}</translation>
    </message>
    <message>
        <source>{path} is empty (0 bytes); it is not a model</source>
        <translation>{path} está vazio (0 bytes); não é um modelo</translation>
    </message>
    <message>
        <source>{path} is not a Keras .keras file (not a zip archive); it may be truncated or corrupt</source>
        <translation>{path} não é um arquivo Keras .keras (não é um arquivo zip); pode estar truncado ou corrompido</translation>
    </message>
    <message>
        <source>{path} was saved without optimizer state; it cannot be resumed</source>
        <translation>{path} foi salvo sem o estado do otimizador; não pode ser retomado</translation>
    </message>
    <message>
        <source>{path}: declares shape {dims}, expected {expected}</source>
        <translation>{path}: declara o formato {dims}, esperado {expected}</translation>
    </message>
    <message>
        <source>{path}: decompresses to more than {limit} MiB; not Fashion-MNIST</source>
        <translation>{path}: descompacta para mais de {limit} MiB; não é o Fashion-MNIST</translation>
    </message>
    <message>
        <source>{path}: file not found</source>
        <translation>{path}: arquivo não encontrado</translation>
    </message>
    <message>
        <source>{path}: is a folder, not an IDX .gz file</source>
        <translation>{path}: é uma pasta, não um arquivo IDX .gz</translation>
    </message>
    <message>
        <source>{path}: not a valid gzip file ({reason})</source>
        <translation>{path}: não é um arquivo gzip válido ({reason})</translation>
    </message>
    <message>
        <source>{path}: permission denied</source>
        <translation>{path}: permissão negada</translation>
    </message>
    <message>
        <source>{path}: the content does not match Fashion-MNIST (checksum differs); the file is corrupt</source>
        <translation>{path}: o conteúdo não corresponde ao Fashion-MNIST (o checksum difere); o arquivo está corrompido</translation>
    </message>
    <message>
        <source>{path}: the data is longer than its header says ({size} bytes of data for shape {dims})</source>
        <translation>{path}: os dados são mais longos do que o cabeçalho diz ({size} bytes de dados para o formato {dims})</translation>
    </message>
    <message>
        <source>{path}: the data is truncated ({size} bytes of data for shape {dims})</source>
        <translation>{path}: os dados estão truncados ({size} bytes de dados para o formato {dims})</translation>
    </message>
    <message>
        <source>{path}: the file is truncated (the gzip stream ends early)</source>
        <translation>{path}: o arquivo está truncado (o fluxo gzip termina antes da hora)</translation>
    </message>
    <message>
        <source>{path}: the header is truncated</source>
        <translation>{path}: o cabeçalho está truncado</translation>
    </message>
    <message>
        <source>{path}: too short to be an IDX file ({size} bytes)</source>
        <translation>{path}: curto demais para ser um arquivo IDX ({size} bytes)</translation>
    </message>
    <message>
        <source>{path}: wrong magic number 0x{magic} (expected 0x00000801 for labels or 0x00000803 for images)</source>
        <translation>{path}: número mágico errado 0x{magic} (esperado 0x00000801 para rótulos ou 0x00000803 para imagens)</translation>
    </message>
    <message>
        <source>{reason}</source>
        <translation>{reason}</translation>
    </message>
    <message>
        <source>{what} needs a class-conditional model (train one with --conditional)</source>
        <translation>{what} precisa de um modelo condicionado à classe (treine um com --conditional)</translation>
    </message>
    <message>
        <source>{width}x{height} pixels is too large (limit {limit} megapixels)</source>
        <translation>{width}x{height} pixels é grande demais (limite de {limit} megapixels)</translation>
    </message>
</context>
<context>
    <name>ModelCardDialog</name>
    <message>
        <source>Model card</source>
        <translation>Cartão do modelo</translation>
    </message>
    <message>
        <source>Model card: {title}</source>
        <translation>Cartão do modelo: {title}</translation>
    </message>
    <message>
        <source>Model file: {path}</source>
        <translation>Arquivo do modelo: {path}</translation>
    </message>
    <message>
        <source>Not saved yet: File ▸ Save model as… writes the model and this card.</source>
        <translation>Ainda não salvo: Arquivo ▸ Salvar modelo como… grava o modelo e este cartão.</translation>
    </message>
    <message>
        <source>Card: {path}</source>
        <translation>Cartão: {path}</translation>
    </message>
    <message>
        <source>There is no model card beside this file: only what the model itself holds is known.</source>
        <translation>Não há cartão do modelo ao lado deste arquivo: só se sabe o que o próprio modelo contém.</translation>
    </message>
    <message>
        <source>Latent dimensions</source>
        <translation>Dimensões latentes</translation>
    </message>
    <message>
        <source>β (KL weight)</source>
        <translation>β (peso do KL)</translation>
    </message>
    <message>
        <source>Conditioned on the garment class</source>
        <translation>Condicionado à classe da roupa</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sim</translation>
    </message>
    <message>
        <source>no</source>
        <translation>não</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parâmetros</translation>
    </message>
    <message>
        <source>Encoder</source>
        <translation>Codificador</translation>
    </message>
    <message>
        <source>Decoder</source>
        <translation>Decodificador</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>label-free total_loss</source>
        <translation>total_loss sem rótulo</translation>
    </message>
    <message>
        <source>classified correctly</source>
        <translation>classificadas corretamente</translation>
    </message>
    <message>
        <source>classified correctly, refined</source>
        <translation>classificadas corretamente, com refinamento</translation>
    </message>
    <message>
        <source>Test set: {count} images, nats per image</source>
        <translation>Conjunto de teste: {count} imagens, nats por imagem</translation>
    </message>
    <message>
        <source>Test set, nats per image</source>
        <translation>Conjunto de teste, nats por imagem</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>concluído</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>interrompido</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>divergiu</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Execução</translation>
    </message>
    <message>
        <source>Epochs completed</source>
        <translation>Épocas concluídas</translation>
    </message>
    <message>
        <source>Training time</source>
        <translation>Tempo de treinamento</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} s</translation>
    </message>
    <message>
        <source>Training images</source>
        <translation>Imagens de treinamento</translation>
    </message>
    <message>
        <source>Precision used</source>
        <translation>Precisão usada</translation>
    </message>
    <message>
        <source>Fine-tuned from</source>
        <translation>Ajuste fino de</translation>
    </message>
    <message>
        <source>How it ended</source>
        <translation>Como terminou</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Treinamento</translation>
    </message>
    <message>
        <source>all</source>
        <translation>todas</translation>
    </message>
    <message>
        <source>Settings of the run</source>
        <translation>Configurações da execução</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>época</translation>
    </message>
    <message>
        <source>s</source>
        <translation>s</translation>
    </message>
    <message>
        <source>Training columns: running means over each epoch; val_: the validation images.</source>
        <translation>Colunas de treinamento: médias ao longo de cada época; val_: as imagens de validação.</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Épocas</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Criado em</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Dados</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>Versões</translation>
    </message>
    <message>
        <source>Model file SHA-256</source>
        <translation>SHA-256 do arquivo do modelo</translation>
    </message>
    <message>
        <source>Where it came from</source>
        <translation>De onde veio</translation>
    </message>
</context>
<context>
    <name>PictureMenu</name>
    <message>
        <source>Show all</source>
        <translation>Mostrar tudo</translation>
    </message>
    <message>
        <source>Copy picture</source>
        <translation>Copiar imagem</translation>
    </message>
    <message>
        <source>Save picture…</source>
        <translation>Salvar imagem…</translation>
    </message>
</context>
<context>
    <name>PlanePanel</name>
    <message>
        <source>Latent plane: click or drag to decode</source>
        <translation>Plano latente: clique ou arraste para decodificar</translation>
    </message>
    <message>
        <source>Click a class to hide or show its points</source>
        <translation>Clique em uma classe para ocultar ou mostrar seus pontos</translation>
    </message>
    <message>
        <source>Decode on hover</source>
        <translation>Ao apontar</translation>
    </message>
    <message>
        <source>Decode wherever the pointer is, without clicking</source>
        <translation>Decodificar onde estiver o ponteiro, sem clicar</translation>
    </message>
    <message>
        <source>Decoded backdrop</source>
        <translation>Fundo decodificado</translation>
    </message>
    <message>
        <source>Show a {n}x{n} grid of decoded images behind the points</source>
        <translation>Mostrar uma grade {n}x{n} de imagens decodificadas atrás dos pontos</translation>
    </message>
    <message>
        <source>Test set</source>
        <translation>Teste</translation>
    </message>
    <message>
        <source>Principal components</source>
        <translation>Componentes principais</translation>
    </message>
    <message>
        <source>Show the plane of the first two principal components of the encoded test set</source>
        <translation>Mostrar o plano dos dois primeiros componentes principais do conjunto de teste codificado</translation>
    </message>
    <message>
        <source>The garment class the plane, the decoded point, the samples and the interpolation show: the latent code is its style</source>
        <translation>A classe de roupa mostrada pelo plano, pelo ponto decodificado, pelas amostras e pela interpolação: o código latente é o seu estilo</translation>
    </message>
    <message>
        <source>Only this class&apos;s points</source>
        <translation>Só esta classe</translation>
    </message>
    <message>
        <source>Show the test images of the picked class only: where its styles lie</source>
        <translation>Mostrar só as imagens de teste da classe escolhida: onde ficam seus estilos</translation>
    </message>
    <message>
        <source>Decode as:</source>
        <translation>Decodificar como:</translation>
    </message>
    <message>
        <source>Other latent dimensions</source>
        <translation>Outras dimensões latentes</translation>
    </message>
    <message>
        <source>The test set could not be encoded for the plane: {reason}</source>
        <translation>Não foi possível codificar o conjunto de teste para o plano: {reason}</translation>
    </message>
    <message>
        <source>Save the latent plane</source>
        <translation>Salvar o plano latente</translation>
    </message>
    <message>
        <source>Principal components need the encoded test set, which is not available</source>
        <translation>Os componentes principais precisam do conjunto de teste codificado, que não está disponível</translation>
    </message>
    <message>
        <source>On the plane: move the point left (Shift: five times as far)</source>
        <translation>No plano: mover o ponto para a esquerda (Shift: cinco vezes mais longe)</translation>
    </message>
    <message>
        <source>On the plane: move the point right (Shift: five times as far)</source>
        <translation>No plano: mover o ponto para a direita (Shift: cinco vezes mais longe)</translation>
    </message>
    <message>
        <source>On the plane: move the point up (Shift: five times as far)</source>
        <translation>No plano: mover o ponto para cima (Shift: cinco vezes mais longe)</translation>
    </message>
    <message>
        <source>On the plane: move the point down (Shift: five times as far)</source>
        <translation>No plano: mover o ponto para baixo (Shift: cinco vezes mais longe)</translation>
    </message>
    <message>
        <source>On the plane: put the point back at the centre</source>
        <translation>No plano: levar o ponto de volta ao centro</translation>
    </message>
</context>
<context>
    <name>PointPanel</name>
    <message>
        <source>Click the latent plane.</source>
        <translation>Clique no plano latente.</translation>
    </message>
    <message>
        <source>Save image…</source>
        <translation>Salvar imagem…</translation>
    </message>
    <message>
        <source>Sharpen</source>
        <translation>Nitidez</translation>
    </message>
    <message>
        <source>Draw what the model generates (this point, the samples, the interpolation, style transfer) with steeper pixels: the soft edges a 2-D code decodes become a real garment&apos;s. Reconstructions stay the model&apos;s means</source>
        <translation>Desenha o que o modelo gera (este ponto, as amostras, a interpolação, a transferência de estilo) com pixels mais contrastados: as bordas suaves que um código 2-D decodifica tornam-se as de uma peça real. As reconstruções continuam sendo as médias do modelo</translation>
    </message>
    <message>
        <source>This point under every class: click one to pick that class</source>
        <translation>Este ponto em cada classe: clique em uma para escolher essa classe</translation>
    </message>
    <message>
        <source>Save the decoded image</source>
        <translation>Salvar a imagem decodificada</translation>
    </message>
</context>
<context>
    <name>PosteriorPanel</name>
    <message>
        <source>encoder mean</source>
        <translation>média do codificador</translation>
    </message>
    <message>
        <source>modes (click to decode)</source>
        <translation>modas (clique para decodificar)</translation>
    </message>
    <message>
        <source>The true posterior p(z|x) (brighter: more probable), the encoder&apos;s Gaussian q(z|x), the same Gaussian refined against the decoder, and the posterior&apos;s modes; click a mode to decode it</source>
        <translation>A posteriori verdadeira p(z|x) (mais clara: mais provável), a gaussiana q(z|x) do codificador, a mesma gaussiana refinada contra o decodificador e as modas da posteriori; clique numa moda para decodificá-la</translation>
    </message>
    <message>
        <source>{name}{under}: −log p(x) {nll} nats. The encoder&apos;s Gaussian: −ELBO {elbo} nats, {gap} more; refined: −ELBO {refined} nats, {refined_gap} more. {modes}.</source>
        <translation>{name}{under}: −log p(x) {nll} nats. A gaussiana do codificador: −ELBO {elbo} nats, {gap} a mais; refinada: −ELBO {refined} nats, {refined_gap} a mais. {modes}.</translation>
    </message>
    <message>
        <source>{name}{under}: a slice through its code along the plane&apos;s axes (the other dimensions held there). −log p(x) ≤ {nll} nats (importance-weighted bound). The encoder&apos;s Gaussian: −ELBO {elbo} nats; refined: {refined} nats. {modes} in this slice.</source>
        <translation>{name}{under}: um corte pelo seu código ao longo dos eixos do plano (as outras dimensões fixas ali). −log p(x) ≤ {nll} nats (limite por amostragem por importância). A gaussiana do codificador: −ELBO {elbo} nats; refinada: {refined} nats. {modes} neste corte.</translation>
    </message>
    <message>
        <source>Drawing it on a finer grid…</source>
        <translation>Desenhando numa grade mais fina…</translation>
    </message>
    <message>
        <source>Select an image in the Reconstruct tab (drop, open or paste one, or try the sample images): its true posterior p(z|x) is drawn here.</source>
        <translation>Selecione uma imagem na aba Reconstruir (solte, abra ou cole uma, ou experimente as imagens de exemplo): sua posteriori verdadeira p(z|x) é desenhada aqui.</translation>
    </message>
    <message>
        <source>q(z|x): 1σ, 2σ</source>
        <translation>q(z|x): 1σ, 2σ</translation>
    </message>
    <message>
        <source>refined q: 1σ, 2σ</source>
        <translation>q refinada: 1σ, 2σ</translation>
    </message>
    <message>
        <source>Computing the posterior of {name}…</source>
        <translation>Calculando a posteriori de {name}…</translation>
    </message>
    <message>
        <source> (read as {name})</source>
        <translation> (lida como {name})</translation>
    </message>
    <message>
        <source>{n} modes</source>
        <translation>{n} modas</translation>
    </message>
    <message>
        <source>one mode</source>
        <translation>uma moda</translation>
    </message>
    <message>
        <source>The posterior could not be computed: {reason}</source>
        <translation>Não foi possível calcular a posteriori: {reason}</translation>
    </message>
    <message>
        <source>Save the posterior</source>
        <translation>Salvar a posteriori</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Procurar em:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>Arquivos do &amp;tipo:</translation>
    </message>
</context>
<context>
    <name>RecentModels</name>
    <message>
        <source>No recent models</source>
        <translation>Nenhum modelo recente</translation>
    </message>
    <message>
        <source>&amp;Clear list</source>
        <translation>&amp;Limpar lista</translation>
    </message>
</context>
<context>
    <name>ReconstructPanel</name>
    <message>
        <source>Image</source>
        <translation>Imagem</translation>
    </message>
    <message>
        <source>Original</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Entrada</translation>
    </message>
    <message>
        <source>Reconstruction</source>
        <translation>Reconstrução</translation>
    </message>
    <message>
        <source>Anomaly</source>
        <translation>Anomalia</translation>
    </message>
    <message>
        <source>1 image</source>
        <translation>1 imagem</translation>
    </message>
    <message>
        <source>{n} images</source>
        <translation>{n} imagens</translation>
    </message>
    <message>
        <source>1 item</source>
        <translation>1 item</translation>
    </message>
    <message>
        <source>{n} items</source>
        <translation>{n} itens</translation>
    </message>
    <message>
        <source>Open images…</source>
        <translation>Abrir imagens…</translation>
    </message>
    <message>
        <source>Try the sample images</source>
        <translation>Imagens de exemplo</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Colar</translation>
    </message>
    <message>
        <source>Reconstruct the image or image files on the clipboard (Ctrl+V)</source>
        <translation>Reconstruir a imagem ou os arquivos de imagem da área de transferência (Ctrl+V)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Limpar</translation>
    </message>
    <message>
        <source>Save panel…</source>
        <translation>Salvar painel…</translation>
    </message>
    <message>
        <source>Save every result, a row each, as one PNG</source>
        <translation>Salvar todos os resultados, uma linha cada, em um PNG</translation>
    </message>
    <message>
        <source>The image as read</source>
        <translation>A imagem como foi lida</translation>
    </message>
    <message>
        <source>What the model sees: greyscale, garment on black, centred, 28×28</source>
        <translation>O que o modelo vê: tons de cinza, roupa sobre preto, centralizada, 28×28</translation>
    </message>
    <message>
        <source>The model&apos;s reconstruction of the input</source>
        <translation>A reconstrução da entrada pelo modelo</translation>
    </message>
    <message>
        <source>Share of the test images whose total_loss is lower: high means unlike the training data</source>
        <translation>Parcela das imagens de teste com total_loss menor: alta significa diferente dos dados de treinamento</translation>
    </message>
    <message>
        <source>In the results: remove the selected image</source>
        <translation>Nos resultados: remover a imagem selecionada</translation>
    </message>
    <message>
        <source>Remove this image ({keys})</source>
        <translation>Remover esta imagem ({keys})</translation>
    </message>
    <message>
        <source>the pasted data is not an image</source>
        <translation>os dados colados não são uma imagem</translation>
    </message>
    <message>
        <source>pasted image</source>
        <translation>imagem colada</translation>
    </message>
    <message>
        <source>{address}: not a file on this computer (download it first)</source>
        <translation>{address}: não é um arquivo neste computador (baixe-o primeiro)</translation>
    </message>
    <message>
        <source>nothing usable: drop or paste image files, or an image</source>
        <translation>nada utilizável: solte ou cole arquivos de imagem, ou uma imagem</translation>
    </message>
    <message>
        <source>Reconstruct images</source>
        <translation>Reconstruir imagens</translation>
    </message>
    <message>
        <source>no sample images found in {folder}</source>
        <translation>nenhuma imagem de exemplo encontrada em {folder}</translation>
    </message>
    <message>
        <source>Waiting for a model: {images} to reconstruct as soon as one is open.</source>
        <translation>Aguardando um modelo: {images} para reconstruir assim que um estiver aberto.</translation>
    </message>
    <message>
        <source>Reconstructing {images} again with this model…</source>
        <translation>Reconstruindo {images} de novo com este modelo…</translation>
    </message>
    <message>
        <source>Reconstructed {images}.</source>
        <translation>Reconstrução concluída: {images}.</translation>
    </message>
    <message>
        <source>Reconstructed {images}; </source>
        <translation>Reconstrução concluída: {images}; </translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation>… e mais {n}</translation>
    </message>
    <message>
        <source>{n} could not be used:</source>
        <translation>{n} não puderam ser usados:</translation>
    </message>
    <message>
        <source>1 could not be used:</source>
        <translation>1 não pôde ser usado:</translation>
    </message>
    <message>
        <source>1 item could not be used: see the Reconstruct tab</source>
        <translation>1 item não pôde ser usado: veja a aba Reconstruir</translation>
    </message>
    <message>
        <source>{items} could not be used: see the Reconstruct tab</source>
        <translation>{items} não puderam ser usados: veja a aba Reconstruir</translation>
    </message>
    <message>
        <source>{share} of the test images have a lower total_loss: {verdict}</source>
        <translation>{share} das imagens de teste têm total_loss menor: {verdict}</translation>
    </message>
    <message>
        <source>{share} of the test images have a lower label-free loss: {verdict}</source>
        <translation>{share} das imagens de teste têm perda sem rótulo menor: {verdict}</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>n/d</translation>
    </message>
    <message>
        <source>Drop image files or folders anywhere on this area (PNG, JPEG, GIF, BMP, WebP, TIFF).</source>
        <translation>Solte arquivos de imagem ou pastas em qualquer lugar desta área (PNG, JPEG, GIF, BMP, WebP, TIFF).</translation>
    </message>
    <message>
        <source>Reconstructed as {name} ({p} likely)</source>
        <translation>Reconstruída como {name} ({p} provável)</translation>
    </message>
    <message>
        <source>Reading {items}…</source>
        <translation>Lendo {items}…</translation>
    </message>
    <message>
        <source>This model&apos;s card has no test-set losses to compare with</source>
        <translation>O cartão deste modelo não tem perdas do conjunto de teste para comparar</translation>
    </message>
    <message>
        <source>typical</source>
        <translation>típica</translation>
    </message>
    <message>
        <source>unusual</source>
        <translation>incomum</translation>
    </message>
    <message>
        <source>anomalous</source>
        <translation>anômala</translation>
    </message>
    <message>
        <source>Removed {name}; {images} left.</source>
        <translation>{name} removida; restam {images}.</translation>
    </message>
    <message>
        <source>Removed {name} from the results</source>
        <translation>{name} removida dos resultados</translation>
    </message>
    <message>
        <source>Save the reconstruction panel</source>
        <translation>Salvar o painel de reconstrução</translation>
    </message>
</context>
<context>
    <name>SamplesPanel</name>
    <message>
        <source>The same seed gives the same grid</source>
        <translation>A mesma semente dá a mesma grade</translation>
    </message>
    <message>
        <source>Scale of the prior N(0, t² I): small is typical, large is unusual</source>
        <translation>Escala da priori N(0, t² I): pequena é típica, grande é incomum</translation>
    </message>
    <message>
        <source>Resample</source>
        <translation>Nova grade</translation>
    </message>
    <message>
        <source>New seed, new samples</source>
        <translation>Nova semente, novas amostras</translation>
    </message>
    <message>
        <source>Save grid…</source>
        <translation>Salvar grade…</translation>
    </message>
    <message>
        <source>A class per row</source>
        <translation>Uma classe por linha</translation>
    </message>
    <message>
        <source>Row r shows class r mod 10 (T-shirt/top first): the same styles as every garment</source>
        <translation>A linha r mostra a classe r mod 10 (Camiseta/blusa primeiro): os mesmos estilos em cada roupa</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>semente</translation>
    </message>
    <message>
        <source>temperature</source>
        <translation>temperatura</translation>
    </message>
    <message>
        <source>256 samples from the prior, decoded in one batch. Click one to see it large and on the plane.</source>
        <translation>256 amostras da priori, decodificadas em um lote. Clique em uma para vê-la grande e no plano.</translation>
    </message>
    <message>
        <source>Sample {index} of the grid (seed {seed})</source>
        <translation>Amostra {index} da grade (semente {seed})</translation>
    </message>
    <message>
        <source>Save the sample grid</source>
        <translation>Salvar a grade de amostras</translation>
    </message>
</context>
<context>
    <name>SelectedImage</name>
    <message>
        <source>Gaussian</source>
        <translation>Gaussiano</translation>
    </message>
    <message>
        <source>Masking</source>
        <translation>Máscara</translation>
    </message>
    <message>
        <source>Selected image</source>
        <translation>Imagem selecionada</translation>
    </message>
    <message>
        <source>Gaussian: standard deviation ×100; masking: percentage of pixels blacked out</source>
        <translation>Gaussiano: desvio padrão ×100; máscara: porcentagem de pixels apagados</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Entrada</translation>
    </message>
    <message>
        <source>What the model sees: greyscale, garment on black, centred, 28×28</source>
        <translation>O que o modelo vê: tons de cinza, roupa sobre preto, centralizada, 28×28</translation>
    </message>
    <message>
        <source>Reconstruction</source>
        <translation>Reconstrução</translation>
    </message>
    <message>
        <source>The decoded latent mean of the input</source>
        <translation>A média latente da entrada, decodificada</translation>
    </message>
    <message>
        <source>Noisy input</source>
        <translation>Com ruído</translation>
    </message>
    <message>
        <source>The input under the noise chosen below</source>
        <translation>A entrada sob o ruído escolhido abaixo</translation>
    </message>
    <message>
        <source>Denoised</source>
        <translation>Sem ruído</translation>
    </message>
    <message>
        <source>The reconstruction of the noisy input; its error is measured against the clean input</source>
        <translation>A reconstrução da entrada com ruído; seu erro é medido contra a entrada limpa</translation>
    </message>
    <message>
        <source>Noise:</source>
        <translation>Ruído:</translation>
    </message>
    <message>
        <source>Select a reconstructed image to see its code, its cost and how it copes with noise.</source>
        <translation>Selecione uma imagem reconstruída para ver seu código, seu custo e como lida com ruído.</translation>
    </message>
    <message>
        <source>Compression: the latent code is {d} floats ({size} bytes) against the input&apos;s 784 bytes, {ratio}× smaller, for ce_loss {ce} nats and a mean absolute pixel error of {error}. z = ({z}).</source>
        <translation>Compressão: o código latente tem {d} floats ({size} bytes) contra os 784 bytes da entrada, {ratio}× menor, com ce_loss de {ce} nats e erro absoluto médio por pixel de {error}. z = ({z}).</translation>
    </message>
    <message>
        <source>error {error}</source>
        <translation>erro {error}</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Everywhere</source>
        <translation>Em toda parte</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Atalhos de teclado</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Onde</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>O que faz</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Teclas</translation>
    </message>
</context>
<context>
    <name>TensorBoardOption</name>
    <message>
        <source>TensorBoard logs in</source>
        <translation>TensorBoard em</translation>
    </message>
    <message>
        <source>Each run writes a subfolder here; view them with: tensorboard --logdir &lt;this folder&gt;</source>
        <translation>Cada treinamento grava uma subpasta aqui; veja com: tensorboard --logdir &lt;esta pasta&gt;</translation>
    </message>
    <message>
        <source>Choose the folder</source>
        <translation>Escolher a pasta</translation>
    </message>
    <message>
        <source>Per-batch losses and time, validation, reconstructions, samples and the encoded test set for TensorBoard&apos;s projector</source>
        <translation>Perdas e tempo por lote, validação, reconstruções, amostras e o conjunto de teste codificado para o projetor do TensorBoard</translation>
    </message>
    <message>
        <source>TensorBoard is not installed: pip install tensorboard (or the &apos;tensorboard&apos; extra), then restart</source>
        <translation>O TensorBoard não está instalado: pip install tensorboard (ou o extra &apos;tensorboard&apos;) e reinicie</translation>
    </message>
    <message>
        <source>Folder for TensorBoard logs</source>
        <translation>Pasta para os logs do TensorBoard</translation>
    </message>
</context>
<context>
    <name>TrainingDashboard</name>
    <message>
        <source>Continue a stopped run from its last checkpoint: none to continue (Ctrl+Shift+R)</source>
        <translation>Continuar um treinamento parado a partir do último checkpoint: nenhum para continuar (Ctrl+Shift+R)</translation>
    </message>
    <message>
        <source>all training images</source>
        <translation>todas as imagens de treinamento</translation>
    </message>
    <message>
        <source>{count} training images</source>
        <translation>{count} imagens de treinamento</translation>
    </message>
    <message>
        <source>Continue the last run from its checkpoint: {done} of {epochs} epochs done (latent dimension {latent}, batch {batch}, {images}) (Ctrl+Shift+R)</source>
        <translation>Continuar o último treinamento a partir do checkpoint: {done} de {epochs} épocas feitas (dimensão latente {latent}, lote {batch}, {images}) (Ctrl+Shift+R)</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Iniciar</translation>
    </message>
    <message>
        <source>Start training</source>
        <translation>Iniciar o treinamento</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>Pause or resume</source>
        <translation>Pausar ou retomar</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Parar</translation>
    </message>
    <message>
        <source>Stop after the current batch; the model keeps what it learned</source>
        <translation>Parar após o lote atual; o modelo mantém o que aprendeu</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Não iniciado</translation>
    </message>
    <message>
        <source>Fixed test images (top) and their reconstructions after each epoch (bottom)</source>
        <translation>Imagens de teste fixas (em cima) e suas reconstruções após cada época (embaixo)</translation>
    </message>
    <message>
        <source>Reconstructions, refreshed each epoch:</source>
        <translation>Reconstruções, atualizadas a cada época:</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Retomar</translation>
    </message>
    <message>
        <source>Pausing…</source>
        <translation>Pausando…</translation>
    </message>
    <message>
        <source>Training cannot start with these settings</source>
        <translation>O treinamento não pode começar com estas configurações</translation>
    </message>
    <message>
        <source>Training cannot start</source>
        <translation>O treinamento não pode começar</translation>
    </message>
    <message>
        <source>No unfinished run to continue</source>
        <translation>Nenhum treinamento inacabado para continuar</translation>
    </message>
    <message>
        <source>Loading Fashion-MNIST and the checkpoint ({done} of {epochs} epochs done)…</source>
        <translation>Carregando o Fashion-MNIST e o checkpoint ({done} de {epochs} épocas feitas)…</translation>
    </message>
    <message>
        <source>Training continued after epoch {epoch}</source>
        <translation>Treinamento continuado após a época {epoch}</translation>
    </message>
    <message>
        <source>Loading Fashion-MNIST and building the model…</source>
        <translation>Carregando o Fashion-MNIST e construindo o modelo…</translation>
    </message>
    <message>
        <source>Training started</source>
        <translation>Treinamento iniciado</translation>
    </message>
    <message>
        <source>Training resumed</source>
        <translation>Treinamento retomado</translation>
    </message>
    <message>
        <source>Stopping after the current batch…</source>
        <translation>Parando após o lote atual…</translation>
    </message>
    <message>
        <source>Epoch {epoch}/{epochs} · batch {batch}/{batches} · {rate} images/s · ETA {eta}</source>
        <translation>Época {epoch}/{epochs} · lote {batch}/{batches} · {rate} imagens/s · faltam {eta}</translation>
    </message>
    <message>
        <source>Epoch {epoch}: test total_loss {total} (ce {ce}, kl {kl})</source>
        <translation>Época {epoch}: total_loss de teste {total} (ce {ce}; kl {kl})</translation>
    </message>
    <message>
        <source>Training paused</source>
        <translation>Treinamento pausado</translation>
    </message>
    <message>
        <source>Scoring the {count} test images under each of the ten classes for the model card…</source>
        <translation>Avaliando as {count} imagens de teste sob cada uma das dez classes para o cartão do modelo…</translation>
    </message>
    <message>
        <source>Scoring the {count} test images for the model card…</source>
        <translation>Avaliando as {count} imagens de teste para o cartão do modelo…</translation>
    </message>
    <message>
        <source>Training done; scoring the test set</source>
        <translation>Treinamento concluído; avaliando o conjunto de teste</translation>
    </message>
    <message>
        <source>{scoring} ETA {eta}</source>
        <translation>{scoring} faltam {eta}</translation>
    </message>
    <message>
        <source>TensorBoard logs: tensorboard --logdir {folder}</source>
        <translation>Logs do TensorBoard: tensorboard --logdir {folder}</translation>
    </message>
    <message>
        <source>Training diverged</source>
        <translation>O treinamento divergiu</translation>
    </message>
    <message>
        <source>Training diverged at epoch {epoch}, batch {batch} ({values}). The model keeps the last weights that gave a finite loss. Try a lower learning rate or a smaller β.</source>
        <translation>O treinamento divergiu na época {epoch}, lote {batch} ({values}). O modelo mantém os últimos pesos que deram uma perda finita. Tente uma taxa de aprendizado menor ou um β menor.</translation>
    </message>
    <message>
        <source>Training stopped after {done} of {epochs} epochs; the model holds the weights reached so far.</source>
        <translation>Treinamento parado após {done} de {epochs} épocas; o modelo mantém os pesos alcançados até aqui.</translation>
    </message>
    <message>
        <source>Training completed: 1 epoch.</source>
        <translation>Treinamento concluído: 1 época.</translation>
    </message>
    <message>
        <source>Training completed: {epochs} epochs.</source>
        <translation>Treinamento concluído: {epochs} épocas.</translation>
    </message>
    <message>
        <source>Training did not run.</source>
        <translation>O treinamento não rodou.</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>O treinamento falhou</translation>
    </message>
</context>
<context>
    <name>TrainingFields</name>
    <message>
        <source>Epochs</source>
        <translation>Épocas</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Tamanho do lote</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Taxa de aprendizado</translation>
    </message>
    <message>
        <source>Latent dimension</source>
        <translation>Dimensão latente</translation>
    </message>
    <message>
        <source>β (KL weight)</source>
        <translation>β (peso do KL)</translation>
    </message>
    <message>
        <source>KL warm-up (epochs)</source>
        <translation>Aquecimento do KL (épocas)</translation>
    </message>
    <message>
        <source>Fourier features</source>
        <translation>Atributos de Fourier</translation>
    </message>
    <message>
        <source>Condition on the garment class</source>
        <translation>Condicionar à classe da roupa</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Semente</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Precisão</translation>
    </message>
    <message>
        <source>Training images</source>
        <translation>Imagens de treinamento</translation>
    </message>
    <message>
        <source>Passes over the training set</source>
        <translation>Passagens pelo conjunto de treinamento</translation>
    </message>
    <message>
        <source>Images per optimisation step</source>
        <translation>Imagens por passo de otimização</translation>
    </message>
    <message>
        <source>Adam&apos;s starting rate, cosine-decayed over the run</source>
        <translation>Taxa inicial do Adam, com decaimento cosseno ao longo do treinamento</translation>
    </message>
    <message>
        <source>Latent dimensions; 2 makes the latent plane the whole latent space</source>
        <translation>Dimensões latentes; com 2, o plano latente é todo o espaço latente</translation>
    </message>
    <message>
        <source>Weight of the KL term (1 = the true ELBO)</source>
        <translation>Peso do termo KL (1 = o ELBO verdadeiro)</translation>
    </message>
    <message>
        <source>Ramp the KL weight from 0 to beta over this many epochs (0: no warm-up)</source>
        <translation>Aumentar o peso do KL de 0 até beta ao longo deste número de épocas (0: sem aquecimento)</translation>
    </message>
    <message>
        <source>The decoder sees sin and cos of N fixed random projections of the latent code beside the code itself; 0 = the code alone</source>
        <translation>O decodificador vê seno e cosseno de N projeções aleatórias fixas do código latente, além do próprio código; 0 = só o código</translation>
    </message>
    <message>
        <source>Give the garment class to the encoder and the decoder: the latent code then holds style, and samples, the plane and style transfer are of the class you pick</source>
        <translation>Dar a classe da roupa ao codificador e ao decodificador: o código latente passa a guardar o estilo, e as amostras, o plano e a transferência de estilo são da classe que você escolher</translation>
    </message>
    <message>
        <source>Random seed; same seed, same run</source>
        <translation>Semente aleatória; mesma semente, mesmo treinamento</translation>
    </message>
    <message>
        <source>Training arithmetic: float32, or bfloat16 (Keras mixed_bfloat16: bf16 compute, float32 weights and loss); auto = bfloat16 on CPUs with native bf16 (AVX-512 BF16 / AMX), else float32. Saved models always compute in float32</source>
        <translation>Aritmética do treinamento: float32, ou bfloat16 (mixed_bfloat16 do Keras: cálculo em bf16, pesos e perda em float32); auto = bfloat16 em CPUs com bf16 nativo (AVX-512 BF16 / AMX), senão float32. Modelos salvos sempre calculam em float32</translation>
    </message>
    <message>
        <source>Train on the first N training images only</source>
        <translation>Treinar só com as primeiras N imagens de treinamento</translation>
    </message>
</context>
<context>
    <name>TrainingForm</name>
    <message>
        <source>Auto ({precision} here)</source>
        <translation>Auto ({precision})</translation>
    </message>
    <message>
        <source>bfloat16 (mixed)</source>
        <translation>bfloat16 (misto)</translation>
    </message>
    <message>
        <source>Hyper-parameters</source>
        <translation>Hiperparâmetros</translation>
    </message>
    <message>
        <source>All {count}</source>
        <translation>As {count}</translation>
    </message>
</context>
<context>
    <name>TrainingWorker</name>
    <message>
        <source>training failed unexpectedly: {reason}</source>
        <translation>o treinamento falhou inesperadamente: {reason}</translation>
    </message>
</context>
<context>
    <name>TransferPanel</name>
    <message>
        <source>Select an image in the Reconstruct tab (drop, open or paste one, or try the sample images): its style is shown here as every garment.</source>
        <translation>Selecione uma imagem na aba Reconstruir (solte, abra ou cole uma, ou experimente as imagens de exemplo): seu estilo aparece aqui em cada roupa.</translation>
    </message>
    <message>
        <source>The input, as the model sees it</source>
        <translation>A entrada, como o modelo a vê</translation>
    </message>
    <message>
        <source>Its reconstruction under the class it is encoded as</source>
        <translation>Sua reconstrução na classe em que foi codificada</translation>
    </message>
    <message>
        <source>The class whose model explains the image best. A first guess from one pass is shown at once, then the verdict from fitting the image under each class, which is right more often</source>
        <translation>A classe cujo modelo melhor explica a imagem. Um primeiro palpite, de uma só passada, aparece na hora; depois, o veredito do ajuste da imagem sob cada classe, que acerta mais vezes</translation>
    </message>
    <message>
        <source>the predicted class</source>
        <translation>a classe prevista</translation>
    </message>
    <message>
        <source>The class the image&apos;s style is read under: the model&apos;s guess, or yours</source>
        <translation>A classe sob a qual o estilo da imagem é lido: o palpite do modelo, ou o seu</translation>
    </message>
    <message>
        <source>p(class | image): how much better each class&apos;s model explains the image than the others do</source>
        <translation>p(classe | imagem): o quanto o modelo de cada classe explica a imagem melhor que os das outras</translation>
    </message>
    <message>
        <source>The style decoded as every garment: click one to see it on the latent plane</source>
        <translation>O estilo decodificado como cada roupa: clique em uma para vê-la no plano latente</translation>
    </message>
    <message>
        <source>Save strip…</source>
        <translation>Salvar faixa…</translation>
    </message>
    <message>
        <source>Input, reconstruction and the ten garments, in a row, as PNG</source>
        <translation>Entrada, reconstrução e as dez roupas, em uma linha, como PNG</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Entrada</translation>
    </message>
    <message>
        <source>Reconstruction</source>
        <translation>Reconstrução</translation>
    </message>
    <message>
        <source>Encode as:</source>
        <translation>Codificar como:</translation>
    </message>
    <message>
        <source>Its style as every garment:</source>
        <translation>Seu estilo em cada roupa:</translation>
    </message>
    <message>
        <source>Could not read this image&apos;s style: {reason}</source>
        <translation>Não foi possível ler o estilo desta imagem: {reason}</translation>
    </message>
    <message>
        <source>Style transfer failed: {reason}. Try another image or model.</source>
        <translation>A transferência de estilo falhou: {reason}. Tente outra imagem ou outro modelo.</translation>
    </message>
    <message>
        <source>The refined verdict failed: {reason}.</source>
        <translation>O veredito refinado falhou: {reason}.</translation>
    </message>
    <message>
        <source>The refined verdict failed: {reason}. The first guess stays shown.</source>
        <translation>O veredito refinado falhou: {reason}. O primeiro palpite continua exibido.</translation>
    </message>
    <message>
        <source>Looks like: &lt;b&gt;{name}&lt;/b&gt; ({share})</source>
        <translation>Parece: &lt;b&gt;{name}&lt;/b&gt; ({share})</translation>
    </message>
    <message>
        <source>Encoded as: {name} (your choice)</source>
        <translation>Codificada como: {name} (sua escolha)</translation>
    </message>
    <message>
        <source>A first guess: refining it failed</source>
        <translation>Um primeiro palpite: o refinamento falhou</translation>
    </message>
    <message>
        <source>Refining the fit under each class…</source>
        <translation>Refinando o ajuste sob cada classe…</translation>
    </message>
    <message>
        <source>Save the style transfer strip</source>
        <translation>Salvar a faixa de transferência de estilo</translation>
    </message>
</context>
</TS>
